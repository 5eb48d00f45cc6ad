import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAt } from '../../common/database/columns';

/** A manual pause of reminders for a customer or one invoice, until a date (inclusive). */
@Entity('dunning_pauses')
@Index('dunning_pauses_lookup_idx', ['tenantId', 'until'])
@Check('dunning_pauses_target_check', `"customer_id" IS NOT NULL OR "invoice_id" IS NOT NULL`)
export class DunningPause {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'customer_id', type: 'uuid', nullable: true })
  customerId: string | null;

  @Column({ name: 'invoice_id', type: 'uuid', nullable: true })
  invoiceId: string | null;

  @Column({ type: 'text' })
  reason: string;

  /** YYYY-MM-DD: reminders resume the day after. */
  @Column({ type: 'date' })
  until: string;

  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @CreatedAt()
  createdAt: Date;

  @Column({ name: 'lifted_at', type: 'timestamptz', nullable: true })
  liftedAt: Date | null;
}
