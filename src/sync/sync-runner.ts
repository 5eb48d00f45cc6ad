import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryRunner } from 'typeorm';
import { Clock } from '../common/clock';
import { APP_CONFIG } from '../common/config/config.module';
import type { AppConfig } from '../common/config/app-config';
import type { Connector, PullContext, SyncBatch } from '../connectors/connector';
import { ConnectorRegistry } from '../connectors/registry';
import { LedgerHooks } from '../ledger/ledger-hooks';
import { LedgerWriter, TABLE_OF, type LedgerWriteScope } from '../ledger/ledger-writer';
import { addCounts, emptyCounts, type SyncCounts, writtenTotal } from '../ledger/sync-counts';
import { ConnectionsService } from './connections.service';
import { QueueService } from './queue/queue.service';
import { classifySyncError, retryDelayMs } from './sync-error';
import { SyncMetrics } from './sync-metrics';
import { RUN_LOCK_KEY, SYNC_QUEUE, type SyncJobData } from './sync-runs.service';

export type RunOutcome =
  | { status: 'succeeded'; counts: SyncCounts }
  | { status: 'failed'; counts: SyncCounts; error: string; permanent: boolean }
  | { status: 'retry_scheduled'; counts: SyncCounts; retryAt: Date; error: string }
  | { status: 'paused'; counts: SyncCounts; until: Date }
  | { status: 'interrupted'; counts: SyncCounts }
  /** `busy`: another writer holds the connection (try again later); `done`: the run is already finished (duplicate delivery). */
  | { status: 'skipped'; reason: 'busy' | 'done' };

export interface RunOptions {
  /** Aborted at shutdown: the batch in flight commits or rolls back, then the run stops. */
  signal?: AbortSignal;
  /** After each committed batch (CLI progress). */
  onBatch?(total: SyncCounts, batches: number): void;
  /** Progress reported by the connector (e.g. lines of a file). */
  onProgress?(done: number, total?: number): void;
  /** false: transient errors fail the run at once instead of re-queuing it (foreground CLI). */
  retry?: boolean;
}

class Interrupted extends Error {}

type RunRow = { id: string; tenant_id: string; connection_id: string; status: string; details: Record<string, unknown>; counts: SyncCounts };
type ConnRow = { id: string; provider: string; settings: Record<string, unknown>; cursor: Record<string, unknown> | null; enabled: boolean };

/**
 * Executes one sync run: pulls batches from the connector from the saved cursor and writes
 * each in one transaction with the cursor (snapshot connectors: the whole pull in one
 * transaction). Holds a PostgreSQL advisory lock on the connection for the whole run, on the
 * session that does the writes, so two workers never run one connection at once even if a
 * job is delivered twice; a crash drops the session, which releases the lock and rolls back
 * the batch in flight.
 */
@Injectable()
export class SyncRunner {
  private readonly logger = new Logger(SyncRunner.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly registry: ConnectorRegistry,
    private readonly connections: ConnectionsService,
    private readonly writer: LedgerWriter,
    private readonly queue: QueueService,
    private readonly metrics: SyncMetrics,
    private readonly hooks: LedgerHooks,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(job: SyncJobData, opts: RunOptions = {}): Promise<RunOutcome> {
    const qr = this.ds.createQueryRunner();
    await qr.connect();
    let locked = false;
    try {
      [{ locked }] = await qr.query(`SELECT pg_try_advisory_lock(${RUN_LOCK_KEY}) AS locked`, [job.connectionId]);
      if (!locked) return { status: 'skipped', reason: 'busy' };
      const [run]: RunRow[] = await qr.query(
        `SELECT id, tenant_id, connection_id, status, details, counts FROM sync_runs WHERE tenant_id = $1 AND id = $2 AND connection_id = $3`,
        [job.tenantId, job.runId, job.connectionId],
      );
      if (!run || (run.status !== 'queued' && run.status !== 'running')) return { status: 'skipped', reason: 'done' };
      return await this.executeLocked(qr, run, opts);
    } finally {
      if (locked) await qr.query(`SELECT pg_advisory_unlock(${RUN_LOCK_KEY})`, [job.connectionId]).catch(() => undefined);
      await qr.release();
    }
  }

  private async executeLocked(qr: QueryRunner, run: RunRow, opts: RunOptions): Promise<RunOutcome> {
    const started = this.clock.now();
    const t0 = process.hrtime.bigint();
    const attempt = typeof run.details.attempt === 'number' ? run.details.attempt : 1;
    const counts = addCounts(emptyCounts(), run.counts ?? {});
    const [conn]: ConnRow[] = await qr.query(
      `SELECT id, provider, settings, cursor, enabled FROM connections WHERE tenant_id = $1 AND id = $2`,
      [run.tenant_id, run.connection_id],
    );
    const log = { tenantId: run.tenant_id, connectionId: run.connection_id, runId: run.id };
    await qr.query(
      `UPDATE sync_runs SET status = 'running', started_at = COALESCE(started_at, $2), details = details || $3::jsonb WHERE id = $1`,
      [run.id, started, JSON.stringify({ attempt })],
    );
    await qr.query(`UPDATE connections SET last_run_at = $2 WHERE id = $1`, [run.connection_id, started]);
    let provider = conn?.provider ?? 'unknown';
    try {
      if (!conn) throw new Error('connection not found');
      provider = conn.provider;
      const connector = this.registry.get(conn.provider);
      const ctx = await this.context(run, conn, opts);
      const scope: LedgerWriteScope = { tenantId: run.tenant_id, connectionId: run.connection_id, defaultTerms: defaultTerms(conn.settings) };
      this.logger.log({ ...log, provider, attempt, cursor: conn.cursor ? 'resume' : 'start' }, 'sync run started');
      if (connector.manifest.mode === 'snapshot') await this.pullSnapshot(qr, connector, ctx, scope, run, conn, counts, opts);
      else await this.pullIncremental(qr, connector, ctx, scope, run, conn, counts, opts);
      const finished = this.clock.now();
      await qr.query(
        `UPDATE sync_runs SET status = 'succeeded', finished_at = $2, counts = $3::jsonb, error = NULL WHERE id = $1`,
        [run.id, finished, JSON.stringify(counts)],
      );
      await qr.query(
        `UPDATE connections SET last_success_at = $2, status = 'ok', status_reason = NULL, paused_until = NULL WHERE id = $1`,
        [run.connection_id, finished],
      );
      this.metrics.runFinished(provider, 'succeeded', t0);
      this.logger.log({ ...log, provider, counts }, 'sync run succeeded');
      if (writtenTotal(counts) > 0) await this.afterSync(qr, run, counts);
      return { status: 'succeeded', counts };
    } catch (e) {
      if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
      return this.failed(qr, run, provider, attempt, counts, e, opts, t0, log);
    }
  }

  /** The work that follows a run that wrote something (LedgerHooks); the run stays succeeded whatever happens here. */
  private async afterSync(qr: QueryRunner, run: RunRow, counts: SyncCounts): Promise<void> {
    const afterSync = await this.hooks.afterSync({ tenantId: run.tenant_id, connectionId: run.connection_id, runId: run.id, counts });
    if (!Object.keys(afterSync).length) return;
    await qr
      .query(`UPDATE sync_runs SET details = details || $2::jsonb WHERE id = $1`, [run.id, JSON.stringify({ afterSync })])
      .catch((e: unknown) => this.logger.warn({ runId: run.id, error: e instanceof Error ? e.message : String(e) }, 'after-sync summary not recorded'));
  }

  private async context(run: RunRow, conn: ConnRow, opts: RunOptions): Promise<PullContext> {
    const credentials = await this.connections.credentials(run.tenant_id, run.connection_id);
    return {
      tenantId: run.tenant_id,
      connectionId: run.connection_id,
      settings: conn.settings,
      credentials,
      saveCredentials: (c) => this.connections.saveCredentials(run.tenant_id, run.connection_id, c),
      signal: opts.signal ?? new AbortController().signal,
      logger: new Logger(`sync:${conn.provider}`),
      clock: this.clock,
      progress: opts.onProgress,
      knownExternalIds: async (entity) => {
        const rows: { external_id: string }[] = await this.ds.query(
          `SELECT external_id FROM ${TABLE_OF[entity]} WHERE tenant_id = $1 AND connection_id = $2 AND external_id IS NOT NULL AND deleted_at IS NULL`,
          [run.tenant_id, run.connection_id],
        );
        return rows.map((r) => r.external_id);
      },
    };
  }

  private async pullIncremental(
    qr: QueryRunner,
    connector: Connector,
    ctx: PullContext,
    scope: LedgerWriteScope,
    run: RunRow,
    conn: ConnRow,
    counts: SyncCounts,
    opts: RunOptions,
  ): Promise<void> {
    let batches = 0;
    for await (const batch of connector.pull(ctx, conn.cursor)) {
      await qr.startTransaction();
      const written = await this.writer.write(qr.manager, scope, batch);
      addCounts(counts, written);
      await this.saveProgress(qr, run, batch, counts);
      await qr.commitTransaction();
      this.metrics.recordsWritten(written);
      batches++;
      opts.onBatch?.(counts, batches);
      if (opts.signal?.aborted) throw new Interrupted('shutdown');
    }
    // A connector that stops early on abort has not finished the pull.
    if (opts.signal?.aborted) throw new Interrupted('shutdown');
  }

  private async pullSnapshot(
    qr: QueryRunner,
    connector: Connector,
    ctx: PullContext,
    scope: LedgerWriteScope,
    run: RunRow,
    conn: ConnRow,
    counts: SyncCounts,
    opts: RunOptions,
  ): Promise<void> {
    await qr.startTransaction();
    const snapshot = await this.writer.beginSnapshot(qr.manager, scope, connector.manifest.entities);
    const runCounts = emptyCounts();
    let last: SyncBatch = { cursor: conn.cursor };
    let batches = 0;
    for await (const batch of connector.pull(ctx, conn.cursor)) {
      addCounts(runCounts, await snapshot.write(batch));
      last = batch;
      batches++;
      opts.onBatch?.(addCounts(addCounts(emptyCounts(), counts), runCounts), batches);
      if (opts.signal?.aborted) throw new Interrupted('shutdown');
    }
    if (opts.signal?.aborted) throw new Interrupted('shutdown');
    // A pull that yields nothing (e.g. no new file) says nothing about deletions: no tombstones.
    if (batches > 0) addCounts(runCounts, await snapshot.finish());
    addCounts(counts, runCounts);
    await this.saveProgress(qr, run, last, counts);
    await qr.commitTransaction();
    this.metrics.recordsWritten(runCounts);
  }

  /** The run back to `queued` and its next job, in one transaction. */
  private async requeue(qr: QueryRunner, job: SyncJobData, sql: string, params: unknown[], startAfter?: Date): Promise<void> {
    await qr.startTransaction();
    try {
      await qr.query(sql, params);
      await this.queue.send(SYNC_QUEUE, job, { em: qr.manager, startAfter });
      await qr.commitTransaction();
    } catch (e) {
      await qr.rollbackTransaction().catch(() => undefined);
      throw e;
    }
  }

  /** Cursor, counts and details, in the batch's transaction. */
  private async saveProgress(qr: QueryRunner, run: RunRow, batch: SyncBatch, counts: SyncCounts): Promise<void> {
    await qr.query(`UPDATE connections SET cursor = $2::jsonb WHERE id = $1`, [run.connection_id, JSON.stringify(batch.cursor)]);
    await qr.query(`UPDATE sync_runs SET counts = $2::jsonb, details = details || $3::jsonb WHERE id = $1`, [
      run.id,
      JSON.stringify(counts),
      JSON.stringify(batch.details ?? {}),
    ]);
  }

  private async failed(
    qr: QueryRunner,
    run: RunRow,
    provider: string,
    attempt: number,
    counts: SyncCounts,
    e: unknown,
    opts: RunOptions,
    t0: bigint,
    log: Record<string, string>,
  ): Promise<RunOutcome> {
    const now = this.clock.now();
    const job: SyncJobData = { runId: run.id, tenantId: run.tenant_id, connectionId: run.connection_id };
    const countsJson = JSON.stringify(counts);
    if (e instanceof Interrupted) {
      // Shutdown: the run goes back to the queue; any replica resumes it from the saved cursor.
      await this.requeue(qr, job, `UPDATE sync_runs SET status = 'queued', counts = $2::jsonb WHERE id = $1`, [run.id, countsJson]);
      this.logger.log(log, 'sync run interrupted by shutdown; re-queued');
      return { status: 'interrupted', counts };
    }
    const c = classifySyncError(e);
    if (c.kind === 'paused' && opts.retry !== false) {
      await qr.query(
        `UPDATE connections SET status = 'paused', paused_until = $2, status_reason = $3 WHERE id = $1`,
        [run.connection_id, c.until, c.message],
      );
      await this.requeue(
        qr,
        job,
        `UPDATE sync_runs SET status = 'queued', counts = $2::jsonb, details = details || $3::jsonb WHERE id = $1`,
        [run.id, countsJson, JSON.stringify({ pausedUntil: c.until.toISOString(), pauseReason: c.message })],
        c.until,
      );
      this.metrics.runFinished(provider, 'paused', t0);
      this.logger.warn({ ...log, until: c.until, reason: c.message }, 'source paused the sync');
      return { status: 'paused', counts, until: c.until };
    }
    if (c.kind === 'transient' && opts.retry !== false && attempt < this.config.sync.maxAttempts) {
      const { retryBaseMs, retryMaxMs } = this.config.sync;
      const retryAt = new Date(now.getTime() + retryDelayMs(attempt, retryBaseMs, retryMaxMs, Math.random, c.retryAfterMs));
      await this.requeue(
        qr,
        job,
        `UPDATE sync_runs SET status = 'queued', counts = $2::jsonb, details = details || $3::jsonb WHERE id = $1`,
        [run.id, countsJson, JSON.stringify({ attempt: attempt + 1, retryAt: retryAt.toISOString(), lastError: c.message })],
        retryAt,
      );
      this.metrics.runFinished(provider, 'retry', t0);
      this.logger.warn({ ...log, attempt, retryAt, error: c.message }, 'transient sync error; retry scheduled');
      return { status: 'retry_scheduled', counts, retryAt, error: c.message };
    }
    const permanent = c.kind === 'permanent';
    const error = { message: c.message, ...(c.kind !== 'paused' && c.cause ? { cause: c.cause } : {}), permanent };
    await qr.query(`UPDATE sync_runs SET status = 'failed', finished_at = $2, counts = $3::jsonb, error = $4::jsonb WHERE id = $1`, [
      run.id,
      now,
      countsJson,
      JSON.stringify(error),
    ]);
    if (permanent) {
      await qr.query(`UPDATE connections SET status = 'needs_attention', status_reason = $2 WHERE id = $1`, [run.connection_id, c.message]);
    }
    this.metrics.runFinished(provider, 'failed', t0);
    this.logger.error({ ...log, provider, attempt, permanent, error: c.message }, 'sync run failed');
    return { status: 'failed', counts, error: c.message, permanent };
  }
}

/** `settings.defaultTerms: { days, endOfMonth }` of a connection, when its provider has it. */
function defaultTerms(settings: Record<string, unknown>): LedgerWriteScope['defaultTerms'] {
  const t = settings.defaultTerms as { days?: unknown; endOfMonth?: unknown } | undefined;
  if (!t || typeof t.days !== 'number' || !Number.isInteger(t.days)) return null;
  return { days: t.days, endOfMonth: t.endOfMonth === true };
}
