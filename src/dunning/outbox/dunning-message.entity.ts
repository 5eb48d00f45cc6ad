import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAt, UpdatedAt } from '../../common/database/columns';

export const CHANNELS = ['email', 'letter', 'call'] as const;
export type Channel = (typeof CHANNELS)[number];
export const MESSAGE_STATUSES = ['pending_approval', 'queued', 'sending', 'sent', 'failed', 'rejected'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/**
 * One delivery: a message to a customer on one channel, grouping the reminders of a run
 * (one per customer, or one per invoice when the policy does not group).
 */
@Entity('dunning_messages')
@Index('dunning_messages_status_idx', ['tenantId', 'status', 'nextAttemptAt'])
@Index('dunning_messages_customer_idx', ['tenantId', 'customerId'])
@Index('dunning_messages_run_idx', ['runId'])
@Check('dunning_messages_channel_check', `"channel" IN ('email', 'letter', 'call')`)
@Check('dunning_messages_status_check', `"status" IN ('pending_approval', 'queued', 'sending', 'sent', 'failed', 'rejected')`)
export class DunningMessage {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'run_id', type: 'uuid' })
  runId: string;

  @Column({ name: 'customer_id', type: 'uuid' })
  customerId: string;

  @Column({ type: 'text' })
  channel: Channel;

  /** The customer id, or the invoice id when the policy does not group. */
  @Column({ name: 'group_key', type: 'text' })
  groupKey: string;

  /** Highest step among the grouped reminders (decides the template). */
  @Column({ name: 'step_index', type: 'integer' })
  stepIndex: number;

  @Column({ name: 'step_key', type: 'text' })
  stepKey: string;

  @Column({ type: 'text', default: 'queued' })
  status: MessageStatus;

  @Column({ type: 'text', nullable: true })
  recipient: string | null;

  @Column({ type: 'text', nullable: true })
  subject: string | null;

  @Column({ type: 'text', nullable: true })
  body: string | null;

  /** Letters: the PDF under DATA_DIR, relative path. */
  @Column({ name: 'document_path', type: 'text', nullable: true })
  documentPath: string | null;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @Column({ name: 'provider_message_id', type: 'text', nullable: true })
  providerMessageId: string | null;

  @Column({ name: 'decided_by', type: 'text', nullable: true })
  decidedBy: string | null;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
