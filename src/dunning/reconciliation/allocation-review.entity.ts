import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Tenant } from '../../common/auth/tenant.entity';

export const REVIEW_DECISIONS = ['confirmed', 'rejected'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/**
 * An operator's decision on a rule-made allocation. A rejected pair (payment or credit
 * note → invoice) is never proposed again by the rules, whatever later syncs bring;
 * a confirmed one is kept as is.
 */
@Entity('allocation_reviews')
@Index('allocation_reviews_pair_idx', ['tenantId', 'invoiceId'])
@Index('allocation_reviews_allocation_idx', ['tenantId', 'allocationId'])
@Check('allocation_reviews_decision_check', `"decision" IN ('confirmed', 'rejected')`)
export class AllocationReview {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Tenant;

  /** The reviewed allocation (kept even after a rejection soft-deletes it). */
  @Column({ name: 'allocation_id', type: 'uuid' })
  allocationId: string;

  @Column({ name: 'invoice_id', type: 'uuid' })
  invoiceId: string;

  @Column({ name: 'payment_id', type: 'uuid', nullable: true })
  paymentId: string | null;

  @Column({ name: 'credit_note_id', type: 'uuid', nullable: true })
  creditNoteId: string | null;

  @Column({ type: 'text' })
  decision: ReviewDecision;

  /** API key id of the operator. */
  @Column({ name: 'decided_by', type: 'text' })
  decidedBy: string;

  @Column({ name: 'decided_at', type: 'timestamptz' })
  decidedAt: Date;
}
