import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAt, CurrencyColumn, MinorColumn } from '../../common/database/columns';
import { Invoice } from '../../ledger/invoice.entity';
import type { Channel } from './dunning-message.entity';

/**
 * The outbox: one row per (invoice, step, channel), written before any delivery. The
 * unique index is what makes a step go out once across concurrent runs, replicas,
 * crashes and retries.
 */
@Entity('dunning_reminders')
@Index('dunning_reminders_once_uq', ['invoiceId', 'stepIndex', 'channel'], { unique: true })
@Index('dunning_reminders_tenant_invoice_idx', ['tenantId', 'invoiceId', 'stepIndex'])
@Index('dunning_reminders_message_idx', ['messageId'])
@Index('dunning_reminders_run_idx', ['runId'])
export class DunningReminder {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'run_id', type: 'uuid' })
  runId: string;

  @Column({ name: 'message_id', type: 'uuid', nullable: true })
  messageId: string | null;

  @Column({ name: 'invoice_id', type: 'uuid' })
  invoiceId: string;

  @ManyToOne(() => Invoice, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'invoice_id' })
  invoice?: Invoice;

  @Column({ name: 'customer_id', type: 'uuid' })
  customerId: string;

  @Column({ name: 'policy_id', type: 'uuid' })
  policyId: string;

  @Column({ type: 'text', nullable: true })
  variant: string | null;

  @Column({ name: 'step_index', type: 'integer' })
  stepIndex: number;

  @Column({ name: 'step_key', type: 'text' })
  stepKey: string;

  @Column({ type: 'text' })
  channel: Channel;

  /** The date the step became due. */
  @Column({ name: 'trigger_date', type: 'date' })
  triggerDate: string;

  @Column({ name: 'as_of', type: 'date' })
  asOf: string;

  @MinorColumn({ name: 'outstanding_minor' })
  outstandingMinor: bigint;

  @CurrencyColumn()
  currency: string;

  /** What the grouping puts together: the customer id, or the invoice id when not grouped. */
  @Column({ name: 'group_key', type: 'text' })
  groupKey: string;

  @Column({ name: 'requires_approval', type: 'boolean', default: false })
  requiresApproval: boolean;

  /** The step shows late-payment penalties (formal notice). */
  @Column({ name: 'with_penalties', type: 'boolean', default: false })
  withPenalties: boolean;

  @MinorColumn({ name: 'interest_minor', nullable: true })
  interestMinor: bigint | null;

  @MinorColumn({ name: 'indemnity_minor', nullable: true })
  indemnityMinor: bigint | null;

  @CreatedAt()
  createdAt: Date;
}
