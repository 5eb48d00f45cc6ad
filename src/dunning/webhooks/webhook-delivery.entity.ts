import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One event to one webhook; retried with backoff until delivered or given up. */
@Entity('dunning_webhook_deliveries')
@Index('dunning_webhook_deliveries_uq', ['webhookId', 'eventId'], { unique: true })
@Index('dunning_webhook_deliveries_due_idx', ['status', 'nextAttemptAt'])
@Check('dunning_webhook_deliveries_status_check', `"status" IN ('pending', 'delivered', 'failed')`)
export class WebhookDelivery {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'webhook_id', type: 'uuid' })
  webhookId: string;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId: string;

  @Column({ type: 'text', default: 'pending' })
  status: 'pending' | 'delivered' | 'failed';

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt: Date;

  @Column({ name: 'last_status', type: 'integer', nullable: true })
  lastStatus: number | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;
}
