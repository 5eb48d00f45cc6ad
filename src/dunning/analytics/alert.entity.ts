import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Tenant } from '../../common/auth/tenant.entity';
import { CurrencyColumn } from '../../common/database/columns';

export const ALERT_KINDS = ['late_vs_habit', 'partial_payment', 'unallocated', 'over_credit_limit', 'broken_promise'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/**
 * A receivables alert, raised once per (kind, key) and cleared when its condition no longer
 * holds. `figures` holds the numbers that raised it (minor units as strings).
 */
@Entity('alerts')
@Index('alerts_key_uq', ['tenantId', 'kind', 'key'], { unique: true })
@Index('alerts_customer_idx', ['tenantId', 'customerId'])
export class Alert {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Tenant;

  @Column({ type: 'text' })
  kind: AlertKind;

  /** What the alert is about, unique per kind: a customer, payment, invoice or promise id. */
  @Column({ type: 'text' })
  key: string;

  @Column({ name: 'customer_id', type: 'uuid', nullable: true })
  customerId: string | null;

  @CurrencyColumn({ nullable: true })
  currency: string | null;

  @Column({ type: 'jsonb', default: {} })
  figures: Record<string, unknown>;

  /** The as-of date of the evaluation that raised it. */
  @Column({ name: 'as_of', type: 'date' })
  asOf: string;

  @Column({ name: 'raised_at', type: 'timestamptz' })
  raisedAt: Date;

  @Column({ name: 'cleared_at', type: 'timestamptz', nullable: true })
  clearedAt: Date | null;
}
