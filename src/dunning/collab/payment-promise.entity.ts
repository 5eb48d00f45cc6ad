import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Tenant } from '../../common/auth/tenant.entity';
import { CreatedAt, CurrencyColumn, MinorColumn, UpdatedAt } from '../../common/database/columns';
import { Customer } from '../../ledger/customer.entity';

export const PROMISE_STATUSES = ['pending', 'kept', 'broken', 'cancelled'] as const;
export type PromiseStatus = (typeof PROMISE_STATUSES)[number];

/**
 * A customer's promise to pay `amount_minor` by `promised_date` (+ `grace_days`), covering
 * some invoices. Kept when the payments received cover it in time, broken otherwise;
 * scoring counts broken promises and alerts raise one when a promise breaks.
 */
@Entity('payment_promises')
@Index('payment_promises_customer_idx', ['tenantId', 'customerId'])
@Index('payment_promises_due_idx', ['tenantId', 'status', 'promisedDate'])
@Check('payment_promises_status_check', `"status" IN ('pending', 'kept', 'broken', 'cancelled')`)
@Check('payment_promises_grace_check', `"grace_days" >= 0`)
export class PaymentPromise {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Tenant;

  @Column({ name: 'customer_id', type: 'uuid' })
  customerId: string;

  @ManyToOne(() => Customer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id' })
  customer?: Customer;

  /** Invoices the promise covers (empty = the customer's overdue balance). */
  @Column({ name: 'invoice_ids', type: 'uuid', array: true, default: () => "'{}'" })
  invoiceIds: string[];

  @Column({ name: 'promised_date', type: 'date' })
  promisedDate: string;

  @MinorColumn({ name: 'amount_minor' })
  amountMinor: bigint;

  @CurrencyColumn()
  currency: string;

  @Column({ type: 'text', default: 'pending' })
  status: PromiseStatus;

  /** Days after `promised_date` before the promise counts as broken. */
  @Column({ name: 'grace_days', type: 'integer', default: 0 })
  graceDays: number;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  /** API key id (or `system`) that recorded the promise. */
  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;

  /** When the promise was found kept, broken or was cancelled. */
  @Column({ name: 'settled_at', type: 'timestamptz', nullable: true })
  settledAt: Date | null;
}
