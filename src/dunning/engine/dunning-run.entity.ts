import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type DunningRunStatus = 'running' | 'succeeded' | 'failed';

/** One planning pass of a tenant (dry runs are not recorded: they change nothing). */
@Entity('dunning_runs')
@Index('dunning_runs_tenant_idx', ['tenantId', 'startedAt'])
@Check('dunning_runs_status_check', `"status" IN ('running', 'succeeded', 'failed')`)
export class DunningRun {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'as_of', type: 'date' })
  asOf: string;

  /** `api`, `cli`, `schedule`. */
  @Column({ type: 'text' })
  trigger: string;

  @Column({ type: 'text', default: 'running' })
  status: DunningRunStatus;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  /** Counts (planned, queued, awaiting approval, held...) and warnings. */
  @Column({ type: 'jsonb', default: {} })
  summary: Record<string, unknown>;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;
}
