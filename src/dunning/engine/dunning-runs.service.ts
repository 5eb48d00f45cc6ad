import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import { APP_CONFIG } from '../../common/config/config.module';
import type { AppConfig } from '../../common/config/app-config';
import { NotFoundError } from '../../common/errors';
import { SyncRunner } from '../../sync/sync-runner';
import { SyncRunsService } from '../../sync/sync-runs.service';
import { DeliveryService, type DeliveryReport } from '../outbox/delivery.service';
import { OutgoingService } from '../webhooks/outgoing.service';
import { DunningEngine, type RunOptions } from './dunning-engine.service';
import { dunningSettings, staleSyncCutoff } from './dunning-settings';
import type { RunResult, SyncedFirst } from './run-result';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Record<string, any>;

const view = (r: Row) => ({
  id: r.id, asOf: r.as_of, trigger: r.trigger, status: r.status, startedAt: r.started_at, finishedAt: r.finished_at, summary: r.summary, error: r.error, createdBy: r.created_by,
});

/**
 * A run as the API, CLI and scheduler see it: sync stale connections first (real runs, unless
 * the tenant chose to hold them), plan, then deliver what is due (real runs).
 */
@Injectable()
export class DunningRunsService {
  private readonly logger = new Logger(DunningRunsService.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly engine: DunningEngine,
    private readonly delivery: DeliveryService,
    private readonly outgoing: OutgoingService,
    private readonly syncRuns: SyncRunsService,
    private readonly runner: SyncRunner,
  ) {}

  async run(tenantId: string, opts: RunOptions): Promise<RunResult & { syncedFirst: SyncedFirst[]; delivery: DeliveryReport | null }> {
    const syncedFirst = opts.dryRun ? [] : await this.syncStale(tenantId);
    const result = await this.engine.run(tenantId, opts);
    const delivery = opts.dryRun ? null : await this.deliverAndNotify(tenantId);
    return { ...result, syncedFirst, delivery };
  }

  /**
   * Syncs, in the foreground, each enabled scheduled connection of the tenant that has open
   * invoices and no successful sync within the freshness window, so that reminders go out on
   * fresh books. Upload-only connections (no schedule), paused ones and those whose sync fails
   * stay stale: the planning holds their invoices (`stale_sync`).
   */
  private async syncStale(tenantId: string): Promise<SyncedFirst[]> {
    const now = this.clock.now();
    const cutoff = staleSyncCutoff(this.config.dunning.syncFreshnessHours, now);
    if (!cutoff) return [];
    const [tenant] = await this.ds.query(`SELECT settings FROM tenants WHERE id = $1`, [tenantId]);
    if (!tenant || dunningSettings(tenant.settings).staleSync !== 'sync') return [];
    const stale: { id: string; name: string }[] = await this.ds.query(
      `SELECT c.id, c.name FROM connections c
        WHERE c.tenant_id = $1 AND c.enabled AND c.cron IS NOT NULL
          AND (c.paused_until IS NULL OR c.paused_until <= $2)
          AND (c.last_success_at IS NULL OR c.last_success_at < $3)
          AND EXISTS (SELECT 1 FROM invoices i WHERE i.connection_id = c.id AND i.kind = 'invoice' AND i.status = 'open' AND i.deleted_at IS NULL)
        ORDER BY c.name, c.id`,
      [tenantId, now, cutoff],
    );
    const out: SyncedFirst[] = [];
    for (const c of stale) {
      const { runId, created } = await this.syncRuns.request(tenantId, c.id, 'dunning', { enqueue: false });
      if (!created) {
        out.push({ connectionId: c.id, name: c.name, runId, status: 'busy', error: null });
        continue;
      }
      const outcome = await this.runner.execute({ runId, tenantId, connectionId: c.id }, { retry: false });
      const error = 'error' in outcome ? outcome.error : null;
      out.push({ connectionId: c.id, name: c.name, runId, status: outcome.status, error });
      this.logger.log({ tenantId, connectionId: c.id, runId, status: outcome.status }, 'stale connection synced before dunning');
    }
    return out;
  }

  /** Delivers due messages, then sends webhooks and write-backs of the events (their failures never fail this). */
  async deliverAndNotify(tenantId: string): Promise<DeliveryReport> {
    const report = await this.delivery.deliverDue(tenantId);
    await this.outgoing.dispatchWebhooks(tenantId).catch(() => undefined);
    await this.outgoing.writeBack(tenantId).catch(() => undefined);
    return report;
  }

  async list(tenantId: string) {
    const rows = await this.ds.query(
      `SELECT id, to_char(as_of, 'YYYY-MM-DD') AS as_of, trigger, status, started_at, finished_at, summary, error, created_by
         FROM dunning_runs WHERE tenant_id = $1 ORDER BY started_at DESC, id LIMIT 200`,
      [tenantId],
    );
    return { items: rows.map(view) };
  }

  async get(tenantId: string, id: string) {
    const rows = await this.ds.query(
      `SELECT id, to_char(as_of, 'YYYY-MM-DD') AS as_of, trigger, status, started_at, finished_at, summary, error, created_by
         FROM dunning_runs WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id],
    );
    if (!rows.length) throw new NotFoundError('dunning run', id);
    return view(rows[0]);
  }
}
