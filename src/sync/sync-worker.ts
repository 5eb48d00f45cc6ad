import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG } from '../common/config/config.module';
import type { AppConfig } from '../common/config/app-config';
import { QueueService } from './queue/queue.service';
import { SyncRunner } from './sync-runner';
import { SYNC_QUEUE, type SyncJobData } from './sync-runs.service';

/**
 * The queue handler of sync jobs: any replica with WORKERS_ENABLED runs them, up to
 * SYNC_CONCURRENCY at a time (a hanging or failing connection occupies one slot only).
 * At shutdown the queue aborts the signal: the runner stops after the batch in flight.
 */
/** Delay before a job whose connection was busy is tried again (queue time, not business time). */
const BUSY_RETRY_MS = 30_000;

@Injectable()
export class SyncWorker implements OnModuleInit {
  constructor(
    private readonly queue: QueueService,
    private readonly runner: SyncRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.queue.register<SyncJobData>(
      SYNC_QUEUE,
      async (job, signal) => {
        const outcome = await this.runner.execute(job.data, { signal });
        // Another writer (an upload, or a duplicate delivery still running) holds the connection:
        // look again later; a finished run makes that later job a no-op.
        if (outcome.status === 'skipped' && outcome.reason === 'busy' && !signal.aborted) {
          await this.queue.send(SYNC_QUEUE, job.data, { startAfter: new Date(Date.now() + BUSY_RETRY_MS) });
        }
      },
      { concurrency: this.config.sync.concurrency, expireInSeconds: 12 * 3600, pollingIntervalSeconds: 1 },
    );
  }
}
