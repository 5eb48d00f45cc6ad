import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAt, UpdatedAt } from '../../common/database/columns';

export const CALL_OUTCOMES = ['reached', 'no_answer', 'wrong_contact', 'promise', 'dispute'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];
export type TaskStatus = 'open' | 'done' | 'cancelled';

/** An operator's phone call to make, from a call step; its outcome feeds promises and disputes. */
@Entity('dunning_tasks')
@Index('dunning_tasks_worklist_idx', ['tenantId', 'status', 'dueDate'])
@Index('dunning_tasks_message_uq', ['messageId'], { unique: true })
@Check('dunning_tasks_status_check', `"status" IN ('open', 'done', 'cancelled')`)
@Check('dunning_tasks_outcome_check', `"outcome" IS NULL OR "outcome" IN ('reached', 'no_answer', 'wrong_contact', 'promise', 'dispute')`)
export class DunningTask {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'customer_id', type: 'uuid' })
  customerId: string;

  @Column({ name: 'message_id', type: 'uuid', nullable: true })
  messageId: string | null;

  @Column({ type: 'text', default: 'call' })
  kind: string;

  @Column({ type: 'text', default: 'open' })
  status: TaskStatus;

  @Column({ type: 'text' })
  title: string;

  @Column({ name: 'assigned_to', type: 'text', nullable: true })
  assignedTo: string | null;

  @Column({ name: 'due_date', type: 'date' })
  dueDate: string;

  @Column({ type: 'text', nullable: true })
  outcome: CallOutcome | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ name: 'completed_by', type: 'text', nullable: true })
  completedBy: string | null;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
