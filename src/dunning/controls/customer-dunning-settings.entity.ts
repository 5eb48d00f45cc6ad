import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UpdatedAt } from '../../common/database/columns';
import { Customer } from '../../ledger/customer.entity';

/** Per-customer dunning options: exclusion (direct debit, "do not remind") and the assigned collector. */
@Entity('dunning_customer_settings')
@Index('dunning_customer_settings_uq', ['tenantId', 'customerId'], { unique: true })
@Index('dunning_customer_settings_collector_idx', ['tenantId', 'collector'])
export class CustomerDunningSettings {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'customer_id', type: 'uuid' })
  customerId: string;

  @ManyToOne(() => Customer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id' })
  customer?: Customer;

  @Column({ type: 'boolean', default: false })
  excluded: boolean;

  /** e.g. `direct_debit`, `do_not_remind`. */
  @Column({ name: 'exclusion_reason', type: 'text', nullable: true })
  exclusionReason: string | null;

  /** The collector whose portfolio holds the customer (free text: name or e-mail). */
  @Column({ type: 'text', nullable: true })
  collector: string | null;

  @Column({ name: 'updated_by', type: 'text', nullable: true })
  updatedBy: string | null;

  @UpdatedAt()
  updatedAt: Date;
}
