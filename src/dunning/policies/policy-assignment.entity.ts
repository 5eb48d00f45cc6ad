import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAt } from '../../common/database/columns';
import { DunningPolicy } from './dunning-policy.entity';

export const ASSIGNMENT_SCOPES = ['invoice', 'customer', 'segment'] as const;
export type AssignmentScope = (typeof ASSIGNMENT_SCOPES)[number];

/**
 * Which policy applies: per invoice > per customer > per payer segment > tenant default.
 * `target` is the invoice or customer id, or the segment name.
 */
@Entity('dunning_policy_assignments')
@Index('dunning_policy_assignments_uq', ['tenantId', 'scope', 'target'], { unique: true })
@Check('dunning_policy_assignments_scope_check', `"scope" IN ('invoice', 'customer', 'segment')`)
export class PolicyAssignment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ type: 'text' })
  scope: AssignmentScope;

  @Column({ type: 'text' })
  target: string;

  @Column({ name: 'policy_id', type: 'uuid' })
  policyId: string;

  @ManyToOne(() => DunningPolicy, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'policy_id' })
  policy?: DunningPolicy;

  @CreatedAt()
  createdAt: Date;
}
