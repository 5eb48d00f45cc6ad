import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Tenant } from '../../common/auth/tenant.entity';

/**
 * Who did what, when: one row per audited action (manual allocation, rejection, dispute
 * opened, promise recorded...). Generic so that every module records its actions here.
 */
@Entity('audit_events')
@Index('audit_events_subject_idx', ['tenantId', 'subjectType', 'subjectId'])
@Index('audit_events_at_idx', ['tenantId', 'at'])
export class AuditEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Tenant;

  /** API key id, or `system` for automatic actions. */
  @Column({ type: 'text' })
  actor: string;

  /** Dotted verb, e.g. `allocation.created`, `allocation.rejected`, `dispute.opened`. */
  @Column({ type: 'text' })
  action: string;

  @Column({ name: 'subject_type', type: 'text' })
  subjectType: string;

  @Column({ name: 'subject_id', type: 'text' })
  subjectId: string;

  /** Figures and ids of the action (never secrets). */
  @Column({ type: 'jsonb', default: {} })
  data: Record<string, unknown>;

  @Column({ type: 'timestamptz' })
  at: Date;
}
