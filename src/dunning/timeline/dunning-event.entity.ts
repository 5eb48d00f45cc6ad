import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const DUNNING_EVENT_TYPES = [
  'reminder_sent', 'reminder_failed', 'reminder_approved', 'reminder_rejected', 'promise', 'promise_kept', 'promise_broken',
  'dispute_opened', 'dispute_resolved', 'paused', 'call_outcome', 'note',
] as const;
export type DunningEventType = (typeof DUNNING_EVENT_TYPES)[number];

/**
 * What happened in dunning, per customer (and invoice when it concerns one): the timeline,
 * the source of outgoing webhooks, and of the write-back to the accounting system.
 */
@Entity('dunning_events')
@Index('dunning_events_customer_idx', ['tenantId', 'customerId', 'at'])
@Index('dunning_events_invoice_idx', ['tenantId', 'invoiceId'])
@Index('dunning_events_writeback_idx', ['tenantId', 'writebackStatus'])
export class DunningEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'customer_id', type: 'uuid', nullable: true })
  customerId: string | null;

  @Column({ name: 'invoice_id', type: 'uuid', nullable: true })
  invoiceId: string | null;

  @Column({ type: 'text' })
  type: DunningEventType;

  /** API key id, or `system`. */
  @Column({ type: 'text' })
  actor: string;

  /** Human-readable summary (also the write-back note). */
  @Column({ type: 'text' })
  message: string;

  @Column({ type: 'jsonb', default: {} })
  data: Record<string, unknown>;

  @Column({ type: 'timestamptz' })
  at: Date;

  /** `none` (no write-back for this connection), `pending`, `done`, `failed`. */
  @Column({ name: 'writeback_status', type: 'text', default: 'none' })
  writebackStatus: string;

  @Column({ name: 'writeback_error', type: 'text', nullable: true })
  writebackError: string | null;
}
