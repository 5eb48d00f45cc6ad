import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock, toIsoDate } from '../../common/clock';
import { APP_CONFIG } from '../../common/config/config.module';
import type { AppConfig } from '../../common/config/app-config';
import { QueueService } from '../../sync/queue/queue.service';
import { DunningRunsService } from './dunning-runs.service';

export const DUNNING_TICK = 'dunning-tick';
export const DUNNING_RUN = 'dunning-run';

/**
 * The daily run per tenant, through the sync engine's queue. A distributed hourly cron job
 * (`dunning-tick`) only enqueues: one `dunning-run` job per tenant whose local hour is
 * DUNNING_RUN_HOUR (singleton per tenant and day), and a delivery pass for tenants with
 * messages waiting (retries, sending window). Workers run the jobs.
 */
@Injectable()
export class DunningScheduler implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(DunningScheduler.name);

  constructor(
    private readonly queue: QueueService,
    private readonly runs: DunningRunsService,
    private readonly clock: Clock,
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.queue.register<Record<string, never>>(DUNNING_TICK, () => this.tick().then(() => undefined));
    this.queue.register<{ tenantId: string; deliverOnly?: boolean }>(DUNNING_RUN, async (job) => {
      if (job.data.deliverOnly) await this.runs.deliverAndNotify(job.data.tenantId);
      else await this.runScheduled(job.data.tenantId);
    }, { concurrency: 2, expireInSeconds: 3600 });
  }

  /**
   * The scheduled run of a tenant, at most once per local day (a duplicate job finds the day's
   * run done; even a second run would plan nothing new, the outbox being unique).
   */
  async runScheduled(tenantId: string): Promise<boolean> {
    const [t] = await this.ds.query(`SELECT timezone FROM tenants WHERE id = $1`, [tenantId]);
    if (!t) return false;
    const today = toIsoDate(this.clock.now(), t.timezone);
    const done = await this.ds.query(
      `SELECT 1 FROM dunning_runs WHERE tenant_id = $1 AND trigger = 'schedule' AND as_of = $2 AND status = 'succeeded' LIMIT 1`,
      [tenantId, today],
    );
    if (done.length) return false;
    await this.runs.run(tenantId, { asOf: today, trigger: 'schedule', actor: 'system' });
    return true;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.schedulerEnabled) await this.queue.schedule(DUNNING_TICK, '5 * * * *', {});
  }

  /** Enqueues the runs due this hour; returns the tenants enqueued for a run. */
  async tick(): Promise<string[]> {
    const now = this.clock.now();
    const tenants: { id: string; timezone: string }[] = await this.ds.query(`SELECT id, timezone FROM tenants`);
    const due: string[] = [];
    for (const t of tenants) {
      const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: t.timezone, hour: '2-digit', hourCycle: 'h23' }).format(now));
      if (hour !== this.config.dunning.runHour) continue;
      await this.queue.send(DUNNING_RUN, { tenantId: t.id }, { singletonKey: `dunning:${t.id}:${toIsoDate(now, t.timezone)}` });
      due.push(t.id);
    }
    const waiting: { tenant_id: string }[] = await this.ds.query(
      `SELECT DISTINCT tenant_id FROM dunning_messages WHERE status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= $1)
       UNION SELECT DISTINCT tenant_id FROM dunning_webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= $1`,
      [now],
    );
    for (const w of waiting) if (!due.includes(w.tenant_id)) await this.queue.send(DUNNING_RUN, { tenantId: w.tenant_id, deliverOnly: true });
    this.logger.log({ runs: due.length, deliveries: waiting.length }, 'dunning tick');
    return due;
  }
}
