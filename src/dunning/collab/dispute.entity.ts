import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Tenant } from '../../common/auth/tenant.entity';
import { CreatedAt, CurrencyColumn, MinorColumn, UpdatedAt } from '../../common/database/columns';
import { Customer } from '../../ledger/customer.entity';
import { Invoice } from '../../ledger/invoice.entity';

export const DISPUTE_STATUSES = ['open', 'resolved'] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

/**
 * A customer contests an invoice (or part of it). While open, dunning holds the invoice;
 * encours still counts it and shows the disputed amount apart; scoring counts disputes.
 * `amount_minor` null means the whole outstanding amount of the invoice is disputed.
 */
@Entity('disputes')
@Index('disputes_invoice_idx', ['tenantId', 'invoiceId'])
@Index('disputes_customer_idx', ['tenantId', 'customerId', 'status'])
@Check('disputes_status_check', `"status" IN ('open', 'resolved')`)
export class Dispute {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Tenant;

  @Column({ name: 'invoice_id', type: 'uuid' })
  invoiceId: string;

  @ManyToOne(() => Invoice, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'invoice_id' })
  invoice?: Invoice;

  @Column({ name: 'customer_id', type: 'uuid', nullable: true })
  customerId: string | null;

  @ManyToOne(() => Customer, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'customer_id' })
  customer?: Customer | null;

  @Column({ type: 'text' })
  reason: string;

  /** Disputed part of the invoice in its currency; null = the whole outstanding amount. */
  @MinorColumn({ name: 'amount_minor', nullable: true })
  amountMinor: bigint | null;

  @CurrencyColumn({ nullable: true })
  currency: string | null;

  @Column({ type: 'text', default: 'open' })
  status: DisputeStatus;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt: Date;

  /** API key id (or `system`) that opened the dispute. */
  @Column({ name: 'opened_by', type: 'text' })
  openedBy: string;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  @Column({ name: 'resolved_by', type: 'text', nullable: true })
  resolvedBy: string | null;

  @Column({ name: 'resolution_note', type: 'text', nullable: true })
  resolutionNote: string | null;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
