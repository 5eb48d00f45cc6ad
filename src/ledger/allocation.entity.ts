import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Connection } from '../sync/connection.entity';
import { Invoice } from './invoice.entity';
import { Payment } from './payment.entity';
import { CreatedAt, CurrencyColumn, MinorColumn, UpdatedAt } from '../common/database/columns';

export const MATCH_METHODS = ['source', 'reference', 'exact_amount', 'amount_set', 'oldest_first', 'manual'] as const;
export type MatchMethod = (typeof MATCH_METHODS)[number];

/**
 * A payment or a credit note applied to an invoice. Source allocations carry the
 * connection and external ids (resolved to row ids when both ends are known); rule-made
 * and manual ones have no connection.
 */
@Entity('allocations')
@Index('allocations_source_uq', ['tenantId', 'connectionId', 'externalId'], { unique: true })
@Index('allocations_invoice_idx', ['invoiceId'])
@Index('allocations_payment_idx', ['paymentId'])
@Index('allocations_credit_note_idx', ['creditNoteId'])
// No separate (tenant, connection) index: allocations_source_uq serves those lookups, and a narrower
// index on that prefix won the writer's per-row lookups on stale statistics (a scan per row).
// The latest allocation date of a tenant (reports' ledger view); see invoices_issue_idx.
@Index('allocations_date_idx', ['date'])
// Allocations in force at a date, or counted today and not yet in force then (reports' ledger views).
@Index('allocations_in_force_idx', ['tenantId', 'inForceOn'])
// Source allocations waiting for their invoice, credit note or payment (linked when it arrives).
@Index('allocations_pending_invoice_idx', ['tenantId', 'connectionId', 'invoiceExternalId'], { where: 'invoice_id IS NULL AND invoice_external_id IS NOT NULL' })
@Index('allocations_pending_credit_note_idx', ['tenantId', 'connectionId', 'creditNoteExternalId'], { where: 'credit_note_id IS NULL AND credit_note_external_id IS NOT NULL' })
@Index('allocations_pending_payment_idx', ['tenantId', 'connectionId', 'paymentExternalId'], { where: 'payment_id IS NULL AND payment_external_id IS NOT NULL' })
@Check('allocations_method_check', `"method" IN ('source', 'reference', 'exact_amount', 'amount_set', 'oldest_first', 'manual')`)
@Check('allocations_confidence_check', `"confidence" BETWEEN 0 AND 100`)
export class Allocation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'connection_id', type: 'uuid', nullable: true })
  connectionId: string | null;

  @ManyToOne(() => Connection, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'connection_id' })
  connection?: Connection | null;

  @Column({ name: 'external_id', type: 'text', nullable: true })
  externalId: string | null;

  @Column({ name: 'invoice_id', type: 'uuid', nullable: true })
  invoiceId: string | null;

  @ManyToOne(() => Invoice, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'invoice_id' })
  invoice?: Invoice | null;

  @Column({ name: 'invoice_external_id', type: 'text', nullable: true })
  invoiceExternalId: string | null;

  @Column({ name: 'payment_id', type: 'uuid', nullable: true })
  paymentId: string | null;

  @ManyToOne(() => Payment, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'payment_id' })
  payment?: Payment | null;

  @Column({ name: 'payment_external_id', type: 'text', nullable: true })
  paymentExternalId: string | null;

  @Column({ name: 'credit_note_id', type: 'uuid', nullable: true })
  creditNoteId: string | null;

  @ManyToOne(() => Invoice, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'credit_note_id' })
  creditNote?: Invoice | null;

  @Column({ name: 'credit_note_external_id', type: 'text', nullable: true })
  creditNoteExternalId: string | null;

  @MinorColumn({ name: 'amount_minor' })
  amountMinor: bigint;

  @CurrencyColumn()
  currency: string;

  @Column({ type: 'date' })
  date: string;

  @Column({ type: 'text', default: 'source' })
  method: MatchMethod;

  @Column({ type: 'smallint', default: 100 })
  confidence: number;

  /** API key id (or `system`) that made a manual or rule-made allocation. */
  @Column({ name: 'created_by', type: 'text', nullable: true })
  createdBy: string | null;

  @Column({ name: 'content_hash', type: 'text', nullable: true })
  contentHash: string | null;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;

  /**
   * From when the allocation counts in reports as of a date: the latest of its date and its
   * ends' dates; null when it never counts (deleted, or an end void or deleted). Kept by the
   * database (see the AllocationsInForce migration), never written by the application.
   */
  @Column({ name: 'in_force_on', type: 'date', nullable: true, insert: false, update: false })
  inForceOn: string | null;

  /**
   * Kept by the database from the ends (migration `AllocationEnds`), never written by the
   * service: the payment's date while it is not tombstoned; the invoice's customer and due date
   * (issue date without one) while it is an invoice of the tenant in force. Null otherwise.
   */
  @Column({ name: 'payment_date', type: 'date', nullable: true, insert: false, update: false })
  paymentDate: string | null;

  @Column({ name: 'invoice_customer_id', type: 'uuid', nullable: true, insert: false, update: false })
  invoiceCustomerId: string | null;

  @Column({ name: 'invoice_ref_date', type: 'date', nullable: true, insert: false, update: false })
  invoiceRefDate: string | null;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
