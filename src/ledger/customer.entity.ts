import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CurrencyColumn, MinorColumn } from '../common/database/columns';
import { SyncedRow } from './synced-columns';

@Entity('customers')
@Index('customers_source_uq', ['tenantId', 'connectionId', 'externalId'], { unique: true })
@Index('customers_tenant_name_idx', ['tenantId', 'name'])
export class Customer extends SyncedRow {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  emails: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  phones: string[];

  @CurrencyColumn({ nullable: true })
  currency: string | null;

  /** Payment terms in days; null = the connection's default terms. */
  @Column({ name: 'terms_days', type: 'integer', nullable: true })
  termsDays: number | null;

  /** Terms counted to the end of the month (e.g. "45 days end of month"). */
  @Column({ name: 'terms_end_of_month', type: 'boolean', default: false })
  termsEndOfMonth: boolean;

  @MinorColumn({ name: 'credit_limit_minor', nullable: true })
  creditLimitMinor: bigint | null;

  /** Company (legal entity) of a multi-company group the receivable belongs to. */
  @Column({ type: 'text', nullable: true })
  company: string | null;

  /** Preferred language for correspondence (ISO 639-1). */
  @Column({ type: 'text', nullable: true })
  language: string | null;

  @Column({ name: 'tax_id', type: 'text', nullable: true })
  taxId: string | null;
}
