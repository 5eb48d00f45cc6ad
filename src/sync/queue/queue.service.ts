import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import PgBoss from 'pg-boss';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG } from '../../common/config/config.module';
import type { AppConfig } from '../../common/config/app-config';
import { DATABASE_URL } from '../../common/database/database.module';

export interface QueueJob<T> {
  id: string;
  name: string;
  data: T;
}

/** `signal` aborts when the process shuts down: finish or roll back the work in flight, then return. */
export type JobHandler<T> = (job: QueueJob<T>, signal: AbortSignal) => Promise<void>;

export interface RegisterOptions {
  /** Jobs of this queue run at most this many at a time in this process. */
  concurrency?: number;
  /** pg-boss queue policy; `standard` by default. */
  policy?: PgBoss.QueuePolicy;
  /** How long a job may run before pg-boss considers it expired. */
  expireInSeconds?: number;
  /** pg-boss retries (0 = the handler manages its own retries). */
  retryLimit?: number;
  pollingIntervalSeconds?: number;
}

export interface SendOptions {
  /** Not before this time. */
  startAfter?: Date;
  /** At most one such job queued (queue policy permitting). */
  singletonKey?: string;
  /** Insert the job in this transaction: it exists if and only if the transaction commits. */
  em?: EntityManager;
}

/**
 * The PostgreSQL-backed job queue (pg-boss 10, schema `pgboss` of the service's database;
 * no other server). Modules register handlers at init (`register`) and enqueue with `send`;
 * workers run only where WORKERS_ENABLED, and `schedule` gives distributed cron jobs (one job
 * per slot across replicas) where SCHEDULER_ENABLED.
 *
 * pg-boss is started lazily on first use, so command-line tools that never enqueue do not pay
 * for it. Shutdown: stop fetching, wait for running handlers, then stop.
 */
@Injectable()
export class QueueService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(QueueService.name);
  private readonly handlers = new Map<string, { handler: JobHandler<unknown>; opts: RegisterOptions }>();
  private readonly queues = new Map<string, Promise<void>>();
  private started: Promise<PgBoss> | null = null;
  private readonly workerIds: string[] = [];
  private readonly active = new Set<Promise<void>>();
  private stopping = false;
  private readonly shutdown = new AbortController();

  constructor(
    @Inject(DATABASE_URL) private readonly url: string,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Registers the handler of a queue; call during module init. Runs only where WORKERS_ENABLED. */
  register<T>(name: string, handler: JobHandler<T>, opts: RegisterOptions = {}): void {
    if (this.handlers.has(name)) throw new Error(`queue ${name} already has a handler`);
    this.handlers.set(name, { handler: handler as JobHandler<unknown>, opts });
  }

  async send<T extends object>(name: string, data: T, opts: SendOptions = {}): Promise<string | null> {
    const boss = await this.boss();
    await this.ensureQueue(boss, name);
    const send: PgBoss.SendOptions = {};
    if (opts.startAfter) send.startAfter = opts.startAfter;
    if (opts.singletonKey) send.singletonKey = opts.singletonKey;
    if (opts.em) send.db = { executeSql: (text, values) => opts.em!.query(text, values).then((rows: unknown[]) => ({ rows })) };
    return boss.send(name, data, send);
  }

  /** A distributed cron job: pg-boss enqueues one `name` job per slot, whichever replica's clock monitor sees it. */
  async schedule<T extends object>(name: string, cron: string, data: T, opts: { tz?: string } = {}): Promise<void> {
    const boss = await this.boss();
    await this.ensureQueue(boss, name);
    await boss.schedule(name, cron, data, { tz: opts.tz ?? 'UTC' });
  }

  async unschedule(name: string): Promise<void> {
    await (await this.boss()).unschedule(name);
  }

  /** Jobs of a queue not yet completed (created, retry or active). */
  async pending(name: string): Promise<number> {
    const boss = await this.boss();
    await this.ensureQueue(boss, name);
    return boss.getQueueSize(name, { before: 'completed' });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.workersEnabled && !this.config.schedulerEnabled) return;
    const boss = await this.boss();
    if (!this.config.workersEnabled) return;
    for (const [name, { handler, opts }] of this.handlers) {
      await this.ensureQueue(boss, name);
      for (let i = 0; i < (opts.concurrency ?? 1); i++) {
        const id = await boss.work<unknown>(name, { batchSize: 1, pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2 }, (jobs) =>
          this.track(Promise.all(jobs.map((j) => handler({ id: j.id, name: j.name, data: j.data }, this.shutdown.signal))).then(() => undefined)),
        );
        this.workerIds.push(id);
      }
      this.logger.log({ queue: name, concurrency: opts.concurrency ?? 1 }, 'worker started');
    }
  }

  /** Stop taking jobs, let running handlers finish, stop pg-boss (before the database pool closes). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.shutdown.abort();
    if (!this.started) return;
    const boss = await this.started;
    for (const id of this.workerIds.splice(0)) await boss.offWork({ id }).catch(() => undefined);
    await Promise.allSettled([...this.active]);
    await boss.stop({ graceful: true, wait: true, timeout: 30_000 }).catch((e) => this.logger.warn({ err: e }, 'queue stop'));
  }

  private track(p: Promise<void>): Promise<void> {
    this.active.add(p);
    return p.finally(() => this.active.delete(p));
  }

  private boss(): Promise<PgBoss> {
    // While draining, running handlers may still enqueue (e.g. re-queue an interrupted run).
    if (this.stopping && !this.started) return Promise.reject(new Error('queue is shutting down'));
    this.started ??= (async () => {
      const boss = new PgBoss({
        connectionString: this.url,
        schema: 'pgboss',
        max: 3,
        application_name: 'ledgerbridge-queue',
        schedule: this.config.schedulerEnabled,
        supervise: this.config.workersEnabled,
      });
      boss.on('error', (e) => this.logger.error({ err: e }, 'queue error'));
      await boss.start();
      return boss;
    })();
    return this.started;
  }

  private ensureQueue(boss: PgBoss, name: string): Promise<void> {
    let p = this.queues.get(name);
    if (!p) {
      const opts = this.handlers.get(name)?.opts ?? {};
      p = boss.getQueue(name).then(async (q) => {
        if (q) return;
        await boss
          .createQueue(name, {
            name,
            policy: opts.policy ?? 'standard',
            retryLimit: opts.retryLimit ?? 0,
            expireInSeconds: opts.expireInSeconds ?? 15 * 60,
          })
          .catch(async (e) => {
            // Another replica created it meanwhile.
            if (!(await boss.getQueue(name))) throw e;
          });
      });
      this.queues.set(name, p);
      p.catch(() => this.queues.delete(name));
    }
    return p;
  }
}
