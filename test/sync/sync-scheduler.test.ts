import { SchedulerRegistry } from '@nestjs/schedule';
import { SyncScheduler } from '../../src/sync/sync-scheduler';
import { bearer, createTenant, startTestApp, TestApp, TestTenant } from '../helpers/app';
import { TestClock } from '../helpers/clock';
import { createTestDatabase, TestDatabase } from '../helpers/db';
import { resetSources, TestConnectorModule } from '../support/test-connector';

const SCHEDULER = { SCHEDULER_ENABLED: 'true' };

describe('sync scheduling (cron entries per connection, catch-up)', () => {
  let db: TestDatabase;
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await startTestApp({ db, extraModules: [TestConnectorModule], env: SCHEDULER });
    tenant = await createTenant(t);
  });

  afterAll(async () => {
    await t.close();
    await db.drop();
  }, 60_000);

  beforeEach(() => resetSources());

  const cron = (app: TestApp, id: string) => {
    const reg = app.app.get(SchedulerRegistry);
    if (!reg.doesExist('cron', `sync:${id}`)) return null;
    const job = reg.getCronJob(`sync:${id}`);
    return { source: String(job.cronTime.source), timezone: (job.cronTime as unknown as { timeZone?: string }).timeZone ?? null, running: job.isActive };
  };
  const runs = async (id: string) =>
    (await t.ds.query(`SELECT trigger, status FROM sync_runs WHERE connection_id = $1 ORDER BY created_at`, [id])) as { trigger: string; status: string }[];

  it('keeps one cron entry per enabled connection, updated live on create, change, disable, enable and delete', async () => {
    const res = await t
      .http()
      .post('/v1/connections')
      .set(bearer(tenant.adminKey))
      .send({ provider: 'test', name: 'scheduled', schedule: { cron: '0 2 * * *', timezone: 'Europe/Paris' } })
      .expect(201);
    const id = res.body.id as string;
    expect(cron(t, id)).toEqual({ source: '0 2 * * *', timezone: 'Europe/Paris', running: true });
    await t.http().patch(`/v1/connections/${id}`).set(bearer(tenant.adminKey)).send({ schedule: { cron: '*/15 * * * *', timezone: 'UTC' } }).expect(200);
    expect(cron(t, id)).toEqual({ source: '*/15 * * * *', timezone: 'UTC', running: true });
    await t.http().post(`/v1/connections/${id}/disable`).set(bearer(tenant.adminKey)).expect(200);
    expect(cron(t, id)).toBeNull();
    await t.http().post(`/v1/connections/${id}/enable`).set(bearer(tenant.adminKey)).expect(200);
    expect(cron(t, id)).toEqual({ source: '*/15 * * * *', timezone: 'UTC', running: true });
    await t.http().patch(`/v1/connections/${id}`).set(bearer(tenant.adminKey)).send({ schedule: null }).expect(200);
    expect(cron(t, id)).toBeNull();
    await t.http().patch(`/v1/connections/${id}`).set(bearer(tenant.adminKey)).send({ schedule: { cron: '0 * * * *', timezone: 'UTC' } }).expect(200);
    expect(cron(t, id)?.source).toBe('0 * * * *');

    // A tick only enqueues; a second tick while that run is queued does not pile up another.
    await t.app.get(SchedulerRegistry).getCronJob(`sync:${id}`).fireOnTick();
    await t.app.get(SchedulerRegistry).getCronJob(`sync:${id}`).fireOnTick();
    expect(await runs(id)).toEqual([{ trigger: 'schedule', status: 'queued' }]);

    await t.http().delete(`/v1/connections/${id}`).set(bearer(tenant.adminKey)).expect(204);
    expect(cron(t, id)).toBeNull();
  });

  it('after downtime, a missed schedule gives one catch-up run at start, not one per missed slot, even with two replicas', async () => {
    const clock = new TestClock(new Date('2026-01-15T09:00:00Z'));
    const insert = (name: string, cronExpr: string, lastRun: string | null) =>
      t.ds
        .query(
          `INSERT INTO connections (tenant_id, provider, name, cron, timezone, last_run_at, created_at) VALUES ($1, 'test', $2, $3, 'UTC', $4, '2026-01-01T00:00:00Z') RETURNING id`,
          [tenant.tenantId, name, cronExpr, lastRun],
        )
        .then((r: { id: string }[]) => r[0].id);
    // Hourly, last run 5 hours ago: 5 slots missed.
    const missed = await insert('hourly missed', '0 * * * *', '2026-01-15T03:30:00Z');
    // Daily at 02:00, last run today at 02:00: nothing missed.
    const upToDate = await insert('daily ok', '0 2 * * *', '2026-01-15T02:00:10Z');
    // Never ran, created before its first slot passed.
    const never = await insert('never ran', '30 8 * * *', null);

    const r1 = await startTestApp({ db, clock, extraModules: [TestConnectorModule], env: SCHEDULER });
    const r2 = await startTestApp({ db, clock, extraModules: [TestConnectorModule], env: SCHEDULER });
    try {
      expect(await runs(missed)).toEqual([{ trigger: 'catch_up', status: 'queued' }]);
      expect(await runs(upToDate)).toEqual([]);
      expect(await runs(never)).toEqual([{ trigger: 'catch_up', status: 'queued' }]);
      expect(cron(r1, missed)?.source).toBe('0 * * * *');
      expect(cron(r2, missed)?.source).toBe('0 * * * *');
    } finally {
      await r1.close();
      await r2.close();
    }
    // The scheduler can also be asked directly (as a tick would) for a slot already served.
    await t.app.get(SyncScheduler).tick(tenant.tenantId, missed);
    expect((await runs(missed)).length).toBe(1);
  });
});
