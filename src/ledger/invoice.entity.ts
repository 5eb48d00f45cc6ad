import { JoinColumn, ManyToOne, Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CurrencyColumn, MinorColumn } from '../common/database/columns';
import { Customer } from './customer.entity';
import { SyncedRow } from './synced-columns';

export type InvoiceKind = 'invoice' | 'credit_note';
export type InvoiceStatus = 'open' | 'paid' | 'void' | 'deleted';

/** Invoices and credit notes; `total_minor` is positive for both, `kind` gives the sign. */
@Entity('invoices')
@Index('invoices_source_uq', ['tenantId', 'connectionId', 'externalId'], { unique: true })
@Index('invoices_customer_idx', ['tenantId', 'customerId'])
@Index('invoices_due_idx', ['tenantId', 'dueDate'])
// The latest issue date of a tenant (reports' ledger view), read backwards. No tenant column on
// purpose: an index led by tenant_id alone competes with the unique key in the writer's lookups
// while a bulk import runs on stale statistics.
@Index('invoices_issue_idx', ['issueDate'])
// Documents with something open today (reports read these, not the whole table).
@Index('invoices_open_idx', ['tenantId'], { where: 'total_minor <> allocated_minor AND deleted_at IS NULL' })
// Invoices waiting for their customer (linked when it arrives).
@Index('invoices_pending_customer_idx', ['tenantId', 'connectionId', 'customerExternalId'], { where: 'customer_id IS NULL' })
@Index('invoices_updated_idx', ['tenantId', 'updatedAt'])
@Check('invoices_kind_check', `"kind" IN ('invoice', 'credit_note')`)
@Check('invoices_status_check', `"status" IN ('open', 'paid', 'void', 'deleted')`)
export class Invoice extends SyncedRow {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'customer_id', type: 'uuid', nullable: true })
  customerId: string | null;

  @ManyToOne(() => Customer, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'customer_id' })
  customer?: Customer | null;

  /** The customer's id in the source; resolved to `customer_id` when the customer is known. */
  @Column({ name: 'customer_external_id', type: 'text' })
  customerExternalId: string;

  @Column({ type: 'text' })
  kind: InvoiceKind;

  @Column({ type: 'text' })
  number: string;

  @Column({ name: 'issue_date', type: 'date' })
  issueDate: string;

  @Column({ name: 'due_date', type: 'date', nullable: true })
  dueDate: string | null;

  /** The source gave no due date: it was derived from payment terms (re-derived when they change). */
  @Column({ name: 'due_date_derived', type: 'boolean', default: false })
  dueDateDerived: boolean;

  @CurrencyColumn()
  currency: string;

  @MinorColumn({ name: 'total_minor' })
  totalMinor: bigint;

  /**
   * What allocations in force (not deleted, both ends neither void nor tombstoned) apply to
   * this document, as invoice or as credit note: maintained by the database (statement triggers on allocations,
   * invoices and payments, see the MaintainedAllocated migration), never written by the
   * application. Reports read open amounts from it.
   */
  @MinorColumn({ name: 'allocated_minor', default: 0, insert: false, update: false })
  allocatedMinor: bigint;

  @Column({ type: 'text', default: 'open' })
  status: InvoiceStatus;

  /** Rate to the organisation's base currency, as given by the source (exact decimal). */
  @Column({ name: 'currency_rate', type: 'numeric', nullable: true })
  currencyRate: string | null;

  @Column({ type: 'text', nullable: true })
  reference: string | null;
}
