import { JoinColumn, ManyToOne, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CurrencyColumn, MinorColumn } from '../common/database/columns';
import { Customer } from './customer.entity';
import { SyncedRow } from './synced-columns';

export type PaymentKind = 'payment' | 'overpayment' | 'prepayment' | 'opening';

@Entity('payments')
@Index('payments_source_uq', ['tenantId', 'connectionId', 'externalId'], { unique: true })
@Index('payments_customer_idx', ['tenantId', 'customerId'])
// Payments waiting for their customer (linked when it arrives).
@Index('payments_pending_customer_idx', ['tenantId', 'connectionId', 'customerExternalId'], { where: 'customer_id IS NULL' })
@Index('payments_date_idx', ['tenantId', 'date'])
// Payments with something unallocated today (reports read these, not the whole table).
@Index('payments_open_idx', ['tenantId'], { where: 'amount_minor <> allocated_minor AND deleted_at IS NULL' })
export class Payment extends SyncedRow {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'customer_id', type: 'uuid', nullable: true })
  customerId: string | null;

  @ManyToOne(() => Customer, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'customer_id' })
  customer?: Customer | null;

  @Column({ name: 'customer_external_id', type: 'text' })
  customerExternalId: string;

  @Column({ type: 'text', default: 'payment' })
  kind: PaymentKind;

  @Column({ type: 'date' })
  date: string;

  @CurrencyColumn()
  currency: string;

  @MinorColumn({ name: 'amount_minor' })
  amountMinor: bigint;

  /**
   * What allocations in force (not deleted, both ends neither void nor tombstoned) apply to
   * this document: maintained by the database (statement triggers on allocations,
   * invoices and payments, see the MaintainedAllocated migration), never written by the
   * application. Reports read open amounts from it.
   */
  @MinorColumn({ name: 'allocated_minor', default: 0, insert: false, update: false })
  allocatedMinor: bigint;

  @Column({ type: 'text', nullable: true })
  method: string | null;

  @Column({ type: 'text', nullable: true })
  reference: string | null;
}
