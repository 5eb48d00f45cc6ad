import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { QueueService } from '../../src/sync/queue/queue.service';
import { startTestApp, TestApp } from '../helpers/app';
import { waitFor } from './wait-for';

const seen: Array<{ n: number; aborted: boolean }> = [];

@Injectable()
class EchoJobs implements OnModuleInit {
  constructor(private readonly queue: QueueService) {}

  onModuleInit(): void {
    this.queue.register<{ n: number }>('test-echo', async (job, signal) => {
      seen.push({ n: job.data.n, aborted: signal.aborted });
    }, { concurrency: 2, pollingIntervalSeconds: 0.5 });
  }
}

@Module({ providers: [EchoJobs] })
class EchoModule {}

/** The generic queue API other modules use (dunning schedules its daily job through it). */
describe('QueueService (pg-boss in the service database)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ extraModules: [EchoModule], env: { WORKERS_ENABLED: 'true', SCHEDULER_ENABLED: 'true' } });
  });

  afterAll(() => t.close(), 60_000);

  it('runs registered handlers for sent jobs, enqueues inside a transaction only when it commits, and keeps cron schedules', async () => {
    const queue = t.app.get(QueueService);
    await queue.send('test-echo', { n: 1 });
    await t.ds.transaction(async (em) => {
      await queue.send('test-echo', { n: 2 }, { em });
    });
    await t.ds
      .transaction(async (em) => {
        await queue.send('test-echo', { n: 3 }, { em });
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    await waitFor('both committed jobs', async () => seen.length >= 2);
    expect(seen.map((s) => s.n).sort()).toEqual([1, 2]);
    expect(seen.every((s) => !s.aborted)).toBe(true);
    expect(await queue.pending('test-echo')).toBe(0);

    await queue.schedule('test-echo', '0 4 * * *', { n: 4 }, { tz: 'Europe/Paris' });
    const rows = await t.ds.query(`SELECT name, cron, timezone, data FROM pgboss.schedule WHERE name = 'test-echo'`);
    expect(rows).toEqual([{ name: 'test-echo', cron: '0 4 * * *', timezone: 'Europe/Paris', data: { n: 4 } }]);
    await queue.unschedule('test-echo');
    expect(await t.ds.query(`SELECT 1 FROM pgboss.schedule WHERE name = 'test-echo'`)).toEqual([]);
  });
});
