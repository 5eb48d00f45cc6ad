import { Client } from 'pg';
import { bearer, createTenant, startTestApp, TestApp, TestTenant } from '../helpers/app';
import { createTestDatabase, TestDatabase } from '../helpers/db';
import { resetSources, sourceFor, TestConnectorModule } from '../support/test-connector';
import { waitFor } from './wait-for';

const WORKERS = { WORKERS_ENABLED: 'true', SYNC_CONCURRENCY: '2' };

/** Two application instances (replicas) with workers, against one database. */
describe('sync across replicas (pg-boss queue, two app instances, one database)', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let tenant: TestTenant;
  let operatorKey: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    a = await startTestApp({ db, extraModules: [TestConnectorModule], env: WORKERS });
    b = await startTestApp({ db, extraModules: [TestConnectorModule], env: WORKERS });
    tenant = await createTenant(a);
    operatorKey = await tenant.key('operator');
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db.drop();
  }, 60_000);

  beforeEach(() => resetSources());

  const connection = async (label: string) =>
    (await a.http().post('/v1/connections').set(bearer(tenant.adminKey)).send({ provider: 'test', name: label, settings: { label } }).expect(201)).body.id as string;
  const run = async (app: TestApp, id: string) => (await app.http().get(`/v1/sync-runs/${id}`).set(bearer(tenant.adminKey)).expect(200)).body;
  const finished = (app: TestApp, id: string) => waitFor(`run ${id} to finish`, async () => ((await run(app, id)).finishedAt ? run(app, id) : null));

  it('never runs one connection twice at once and never double-writes; a hanging connection does not delay another', async () => {
    const slowId = await connection('slow');
    const fastId = await connection('fast');
    const slow = sourceFor('slow');
    slow.generated = { pages: 4, pageSize: 25 };
    const hang = slow.hangAt(2);
    sourceFor('fast').generated = { pages: 3, pageSize: 10 };

    // Both replicas are asked at once: one run, the same id.
    const [r1, r2] = await Promise.all([
      a.http().post(`/v1/connections/${slowId}/sync`).set(bearer(operatorKey)).expect(202),
      b.http().post(`/v1/connections/${slowId}/sync`).set(bearer(operatorKey)).expect(202),
    ]);
    expect(r1.body.runId).toBe(r2.body.runId);
    expect([r1.body.created, r2.body.created].sort()).toEqual([false, true]);
    await hang.reached;

    // While it hangs, another connection syncs through the workers of either replica.
    const fastRun = (await b.http().post(`/v1/connections/${fastId}/sync`).set(bearer(operatorKey)).expect(202)).body.runId;
    expect(await finished(a, fastRun)).toMatchObject({ status: 'succeeded', counts: { invoices: { created: 30 } } });

    // A due schedule or another request while the slow run is active does not pile up a second one.
    const again = await a.http().post(`/v1/connections/${slowId}/sync`).set(bearer(operatorKey)).expect(202);
    expect(again.body).toEqual({ runId: r1.body.runId, created: false });
    hang.release();
    expect(await finished(b, r1.body.runId)).toMatchObject({ status: 'succeeded', counts: { invoices: { created: 100, updated: 0, unchanged: 0 } } });
    expect(slow.maxActive).toBe(1);
    expect(slow.pulls).toEqual([null]);
    const [{ n }] = await a.ds.query(`SELECT count(*)::int AS n FROM invoices WHERE connection_id = $1`, [slowId]);
    expect(n).toBe(100);
    const runs = await a.http().get(`/v1/connections/${slowId}/sync-runs`).set(bearer(tenant.adminKey)).expect(200);
    expect(runs.body.items.map((r: { status: string; trigger: string }) => [r.trigger, r.status])).toEqual([['manual', 'succeeded']]);
  });

  it('graceful shutdown: the replica stops after the batch in flight, and another replica resumes the run from the cursor', async () => {
    const c = await startTestApp({ db, extraModules: [TestConnectorModule], env: WORKERS });
    const id = await connection('shutdown');
    const src = sourceFor('shutdown');
    src.generated = { pages: 4, pageSize: 10 };
    const hang = src.hangAt(2);
    // Only replica c takes this job: a and b stop first.
    await a.close();
    await b.close();
    const runId = (await c.http().post(`/v1/connections/${id}/sync`).set(bearer(operatorKey)).expect(202)).body.runId;
    await hang.reached;
    await c.close();
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    const { rows: [row] } = await pg.query(`SELECT r.status, c.cursor FROM sync_runs r JOIN connections c ON c.id = r.connection_id WHERE r.id = $1`, [runId]);
    await pg.end();
    expect(row).toEqual({ status: 'queued', cursor: { page: 2 } });
    // A new replica's worker picks the re-queued run up and finishes it from page 2.
    const d = await startTestApp({ db, extraModules: [TestConnectorModule], env: WORKERS });
    try {
      expect(await finished(d, runId)).toMatchObject({ status: 'succeeded', counts: { invoices: { created: 40 } } });
      expect(src.pulls).toEqual([null, { page: 2 }]);
    } finally {
      await d.close();
    }
    a = await startTestApp({ db, extraModules: [TestConnectorModule] });
    b = await startTestApp({ db, extraModules: [TestConnectorModule] });
  });
});
