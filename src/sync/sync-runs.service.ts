import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { ConflictError, NotFoundError } from '../common/errors';
import { decodeCursor, encodeCursor, Page } from '../common/http/pagination';
import { QueueService } from './queue/queue.service';
import type { SyncCounts, SyncRunStatus, SyncTrigger } from './sync-run.entity';

export const SYNC_QUEUE = 'sync';

export interface SyncJobData {
  runId: string;
  tenantId: string;
  connectionId: string;
}

export interface SyncRunView {
  id: string;
  connectionId: string;
  trigger: SyncTrigger;
  status: SyncRunStatus;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  counts: SyncCounts;
  details: Record<string, unknown>;
  error: { message: string; cause?: string; permanent?: boolean } | null;
}

/**
 * PostgreSQL advisory lock key of a connection's writes: held by the sync worker for the whole
 * run (session lock), and by other writers of the connection's ledger (e.g. FEC uploads, as a
 * transaction lock on the same key `sync:<connectionId>`).
 */
export const RUN_LOCK_KEY = `hashtextextended('sync:' || $1::text, 0)`;

type RunRow = {
  id: string;
  connection_id: string;
  trigger: SyncTrigger;
  status: SyncRunStatus;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  counts: SyncCounts;
  details: Record<string, unknown>;
  error: SyncRunView['error'];
};

const view = (r: RunRow): SyncRunView => ({
  id: r.id,
  connectionId: r.connection_id,
  trigger: r.trigger,
  status: r.status,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  counts: r.counts,
  details: r.details,
  error: r.error,
});

/**
 * Sync run requests and history. A request creates a `queued` run and its queue job in one
 * transaction, under a row lock on the connection, so that at most one run per connection is
 * queued or running at a time across replicas: a request while one is active answers that run.
 */
@Injectable()
export class SyncRunsService {
  private readonly logger = new Logger(SyncRunsService.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly queue: QueueService,
    private readonly clock: Clock,
  ) {}

  /**
   * Asks for a run of a connection. `slot`: the schedule slot a cron tick stands for (a second
   * replica's tick for the same slot finds the run already made). `enqueue: false` creates the
   * run for the caller to execute in the foreground (CLI).
   */
  async request(
    tenantId: string,
    connectionId: string,
    trigger: SyncTrigger,
    opts: { slot?: Date; enqueue?: boolean } = {},
  ): Promise<{ runId: string; created: boolean }> {
    return this.ds.transaction(async (em) => {
      const [conn]: { enabled: boolean; paused_until: Date | null }[] = await em.query(
        `SELECT enabled, paused_until FROM connections WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
        [tenantId, connectionId],
      );
      if (!conn) throw new NotFoundError('connection', connectionId);
      if (!conn.enabled) throw new ConflictError('the connection is disabled; enable it first');
      const active = await this.activeRun(em, tenantId, connectionId);
      if (active) return { runId: active, created: false };
      if (opts.slot) {
        const [same]: { id: string }[] = await em.query(
          `SELECT id FROM sync_runs WHERE tenant_id = $1 AND connection_id = $2 AND trigger IN ('schedule', 'catch_up') AND created_at >= $3
            ORDER BY created_at DESC LIMIT 1`,
          [tenantId, connectionId, opts.slot],
        );
        if (same) return { runId: same.id, created: false };
      }
      const [run]: { id: string }[] = await em.query(
        `INSERT INTO sync_runs (tenant_id, connection_id, trigger, status, details, created_at) VALUES ($1, $2, $3, 'queued', '{}', $4) RETURNING id`,
        [tenantId, connectionId, trigger, this.clock.now()],
      );
      if (opts.enqueue !== false) {
        const now = this.clock.now();
        const startAfter = conn.paused_until && conn.paused_until > now ? conn.paused_until : undefined;
        await this.queue.send<SyncJobData>(SYNC_QUEUE, { runId: run.id, tenantId, connectionId }, { em, startAfter });
      }
      this.logger.log({ tenantId, connectionId, runId: run.id, trigger }, 'sync run queued');
      return { runId: run.id, created: true };
    });
  }

  /**
   * The connection's queued or running run, if any. A `running` run whose worker is gone (its
   * advisory lock is free: the process died) is closed as interrupted; its work resumes from
   * the saved cursor in the next run.
   */
  private async activeRun(em: EntityManager, tenantId: string, connectionId: string): Promise<string | null> {
    // Runs the sync worker executes carry `details.attempt`; other writers (uploads) manage their own runs.
    const rows: { id: string; status: SyncRunStatus }[] = await em.query(
      `SELECT id, status FROM sync_runs WHERE tenant_id = $1 AND connection_id = $2
          AND (status = 'queued' OR (status = 'running' AND details ? 'attempt')) ORDER BY created_at`,
      [tenantId, connectionId],
    );
    if (!rows.length) return null;
    if (rows.some((r) => r.status === 'queued')) return rows.find((r) => r.status === 'queued')!.id;
    // Transaction-level: released at commit, so it never outlives this check.
    const [{ free }] = await em.query(`SELECT pg_try_advisory_xact_lock(${RUN_LOCK_KEY}) AS free`, [connectionId]);
    if (!free) return rows[0].id;
    await em.query(
      `UPDATE sync_runs SET status = 'failed', finished_at = $3,
              error = '{"message": "interrupted: the worker stopped during the run; the next run resumes from the saved cursor"}'
        WHERE tenant_id = $1 AND connection_id = $2 AND status = 'running' AND details ? 'attempt'`,
      [tenantId, connectionId, this.clock.now()],
    );
    return null;
  }

  async list(tenantId: string, connectionId: string, q: { limit?: number; cursor?: string }): Promise<Page<SyncRunView>> {
    const [conn] = await this.ds.query(`SELECT 1 FROM connections WHERE tenant_id = $1 AND id = $2`, [tenantId, connectionId]);
    if (!conn) throw new NotFoundError('connection', connectionId);
    const limit = Math.min(Math.max(q.limit ?? 50, 1), 500);
    const after = decodeCursor(q.cursor, 2);
    const params: unknown[] = [tenantId, connectionId, limit + 1];
    let cond = '';
    if (after) {
      params.push(after[0], after[1]);
      cond = 'AND (created_at, id) < ($4::timestamptz, $5::uuid)';
    }
    const rows: (RunRow & { created_key: string })[] = await this.ds.query(
      `SELECT *, created_at::text AS created_key FROM sync_runs WHERE tenant_id = $1 AND connection_id = $2 ${cond}
        ORDER BY created_at DESC, id DESC LIMIT $3`,
      params,
    );
    const more = rows.length > limit;
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(view),
      nextCursor: more && last ? encodeCursor([last.created_key, last.id]) : null,
    };
  }

  async get(tenantId: string, runId: string): Promise<SyncRunView> {
    const [row]: RunRow[] = await this.ds.query(`SELECT * FROM sync_runs WHERE tenant_id = $1 AND id = $2`, [tenantId, runId]);
    if (!row) throw new NotFoundError('sync run', runId);
    return view(row);
  }
}
