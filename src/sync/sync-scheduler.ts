import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { CronJob, CronTime } from 'cron';
import type { Subscription } from 'rxjs';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { APP_CONFIG } from '../common/config/config.module';
import type { AppConfig } from '../common/config/app-config';
import { ConnectionEvents } from './connection-events';
import { SyncRunsService } from './sync-runs.service';

export interface ScheduledConnection {
  id: string;
  tenantId: string;
  cron: string | null;
  timezone: string;
  enabled: boolean;
}

/** Name of a connection's entry in the SchedulerRegistry. */
export const cronName = (connectionId: string) => `sync:${connectionId}`;

/**
 * One `@nestjs/schedule` cron entry per enabled, scheduled connection, kept in step with
 * connection changes (ConnectionEvents) without a restart. A tick only requests a run (the
 * queue and the workers do the work); ticks of several replicas for one slot, or a tick
 * while a run is active, give one run. At start, a connection whose schedule passed since
 * its last run gets one catch-up run, however many slots were missed.
 */
@Injectable()
export class SyncScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SyncScheduler.name);
  private sub?: Subscription;

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly events: ConnectionEvents,
    private readonly runs: SyncRunsService,
    private readonly clock: Clock,
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.schedulerEnabled) return;
    this.sub = this.events.events$.subscribe((e) => (e.type === 'saved' ? this.upsert(e.connection) : this.remove(e.connectionId)));
    // System-wide: the scheduler serves every tenant's connections.
    const rows: { id: string; tenant_id: string; cron: string; timezone: string; last_run_at: Date | null; created_at: Date }[] = await this.ds.query(
      `SELECT id, tenant_id, cron, timezone, last_run_at, created_at FROM connections WHERE enabled AND cron IS NOT NULL`,
    );
    for (const r of rows) this.upsert({ id: r.id, tenantId: r.tenant_id, cron: r.cron, timezone: r.timezone, enabled: true });
    await this.catchUp(rows.map((r) => ({ ...r, tenantId: r.tenant_id, since: r.last_run_at ?? r.created_at })));
  }

  onModuleDestroy(): void {
    this.sub?.unsubscribe();
    for (const name of this.registry.getCronJobs().keys()) if (name.startsWith('sync:')) this.remove(name.slice(5));
  }

  /** Creates, replaces or removes the connection's cron entry. */
  upsert(c: ScheduledConnection): void {
    this.remove(c.id);
    if (!c.enabled || !c.cron) return;
    try {
      const job = CronJob.from({ cronTime: c.cron, timeZone: c.timezone, start: true, waitForCompletion: true, onTick: () => this.tick(c.tenantId, c.id) });
      this.registry.addCronJob(cronName(c.id), job as unknown as Parameters<SchedulerRegistry['addCronJob']>[1]);
    } catch (e) {
      this.logger.error({ connectionId: c.id, err: e }, 'invalid schedule; connection not scheduled');
    }
  }

  remove(connectionId: string): void {
    const name = cronName(connectionId);
    if (!this.registry.doesExist('cron', name)) return;
    this.registry.getCronJob(name).stop();
    this.registry.deleteCronJob(name);
  }

  /** A due schedule: request a run for this slot (no-op when one is active or already made for it). */
  async tick(tenantId: string, connectionId: string): Promise<void> {
    const slot = new Date(Math.floor(this.clock.now().getTime() / 1000) * 1000);
    try {
      await this.runs.request(tenantId, connectionId, 'schedule', { slot });
    } catch (e) {
      this.logger.warn({ tenantId, connectionId, err: e instanceof Error ? e.message : String(e) }, 'scheduled run not requested');
    }
  }

  private async catchUp(conns: { id: string; tenantId: string; cron: string; timezone: string; since: Date }[]): Promise<void> {
    const now = this.clock.now();
    for (const c of conns) {
      let due: Date;
      try {
        due = new CronTime(c.cron, c.timezone).getNextDateFrom(c.since).toJSDate();
      } catch {
        continue;
      }
      if (due > now) continue;
      try {
        const { runId, created } = await this.runs.request(c.tenantId, c.id, 'catch_up', { slot: due });
        if (created) this.logger.log({ connectionId: c.id, runId, missedSince: due }, 'catch-up run for a missed schedule');
      } catch (e) {
        this.logger.warn({ connectionId: c.id, err: e instanceof Error ? e.message : String(e) }, 'catch-up run not requested');
      }
    }
  }
}
