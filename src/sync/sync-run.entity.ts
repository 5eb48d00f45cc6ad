import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Connection } from './connection.entity';
import { CreatedAt } from '../common/database/columns';

/** `dunning`: a dunning run found the connection stale and synced it first. */
export type SyncTrigger = 'schedule' | 'manual' | 'catch_up' | 'upload' | 'dunning';
export type SyncRunStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** Per entity: created, updated, unchanged, deleted. */
export type SyncCounts = Record<string, { created: number; updated: number; unchanged: number; deleted: number }>;

@Entity('sync_runs')
@Index('sync_runs_connection_idx', ['tenantId', 'connectionId', 'createdAt'])
@Check('sync_runs_status_check', `"status" IN ('queued', 'running', 'succeeded', 'failed')`)
export class SyncRun {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'connection_id', type: 'uuid' })
  connectionId: string;

  @ManyToOne(() => Connection, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'connection_id' })
  connection?: Connection;

  @Column({ type: 'text' })
  trigger: SyncTrigger;

  @Column({ type: 'text', default: 'queued' })
  status: SyncRunStatus;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  @Column({ type: 'jsonb', default: {} })
  counts: SyncCounts;

  /** Free-form details of the run (files imported, warnings, API calls). */
  @Column({ type: 'jsonb', default: {} })
  details: Record<string, unknown>;

  @Column({ type: 'jsonb', nullable: true })
  error: { message: string; cause?: string; permanent?: boolean } | null;

  @CreatedAt()
  createdAt: Date;
}
