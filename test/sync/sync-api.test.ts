import { PermanentSyncError } from '../../src/connectors/connector';
import { SyncRunner } from '../../src/sync/sync-runner';
import { bearer, createTenant, startTestApp, TestApp, TestTenant } from '../helpers/app';
import { resetSources, sourceFor, TestConnectorModule } from '../support/test-connector';

describe('sync API: POST /v1/connections/{id}/sync, run history, connection test, metrics', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let other: TestTenant;
  let keys: { viewer: string; operator: string };

  beforeAll(async () => {
    t = await startTestApp({ extraModules: [TestConnectorModule] });
    tenant = await createTenant(t);
    other = await createTenant(t, 'Other SARL');
    keys = { viewer: await tenant.key('viewer'), operator: await tenant.key('operator') };
  });

  afterAll(() => t.close(), 60_000);

  beforeEach(() => resetSources());

  const connection = async (label: string) =>
    (await t.http().post('/v1/connections').set(bearer(tenant.adminKey)).send({ provider: 'test', name: label, settings: { label } }).expect(201)).body.id as string;

  it('starts a run (202 with the run id), lists and shows runs; viewers read, operators start; other tenants get 404', async () => {
    const id = await connection('api');
    sourceFor('api').generated = { pages: 2, pageSize: 3 };
    await t.http().post(`/v1/connections/${id}/sync`).set(bearer(keys.viewer)).expect(403);
    await t.http().post(`/v1/connections/${id}/sync`).set(bearer(other.adminKey)).expect(404);
    const res = await t.http().post(`/v1/connections/${id}/sync`).set(bearer(keys.operator)).expect(202);
    expect(res.body).toEqual({ runId: expect.stringMatching(/^[0-9a-f-]{36}$/), created: true });
    const queued = await t.http().get(`/v1/sync-runs/${res.body.runId}`).set(bearer(keys.viewer)).expect(200);
    expect(queued.body).toMatchObject({ id: res.body.runId, connectionId: id, trigger: 'manual', status: 'queued', startedAt: null, error: null });
    // The worker's job, run here in the foreground.
    await t.app.get(SyncRunner).execute({ runId: res.body.runId, tenantId: tenant.tenantId, connectionId: id });
    const done = await t.http().get(`/v1/sync-runs/${res.body.runId}`).set(bearer(keys.viewer)).expect(200);
    expect(done.body).toMatchObject({
      status: 'succeeded',
      counts: {
        customers: { created: 1, updated: 0, unchanged: 0, deleted: 0 },
        invoices: { created: 6, updated: 0, unchanged: 0, deleted: 0 },
        payments: { created: 3, updated: 0, unchanged: 0, deleted: 0 },
        allocations: { created: 3, updated: 0, unchanged: 0, deleted: 0 },
      },
    });
    expect(Date.parse(done.body.finishedAt)).toBeGreaterThanOrEqual(Date.parse(done.body.startedAt));
    await t.http().get(`/v1/sync-runs/${res.body.runId}`).set(bearer(other.adminKey)).expect(404);
    await t.http().get(`/v1/connections/${id}/sync-runs`).set(bearer(other.adminKey)).expect(404);

    const second = (await t.http().post(`/v1/connections/${id}/sync`).set(bearer(keys.operator)).expect(202)).body.runId;
    const page1 = await t.http().get(`/v1/connections/${id}/sync-runs?limit=1`).set(bearer(keys.viewer)).expect(200);
    expect(page1.body.items.map((r: { id: string }) => r.id)).toHaveLength(1);
    const page2 = await t.http().get(`/v1/connections/${id}/sync-runs?limit=1&cursor=${page1.body.nextCursor}`).set(bearer(keys.viewer)).expect(200);
    expect([page1.body.items[0].id, page2.body.items[0].id].sort()).toEqual([res.body.runId, second].sort());
    expect(page2.body.nextCursor).toBeNull();

    await t.http().post(`/v1/connections/${id}/disable`).set(bearer(tenant.adminKey)).expect(200);
    const disabled = await t.http().post(`/v1/connections/${id}/sync`).set(bearer(keys.operator)).expect(409);
    expect(disabled.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('tests a connection with its stored settings and credentials', async () => {
    const id = await connection('probe');
    expect((await t.http().post(`/v1/connections/${id}/test`).set(bearer(keys.operator)).expect(200)).body).toEqual({ ok: true });
    sourceFor('probe').testError = new PermanentSyncError('invalid API token');
    expect((await t.http().post(`/v1/connections/${id}/test`).set(bearer(keys.operator)).expect(200)).body).toEqual({
      ok: false,
      error: 'invalid API token',
      permanent: true,
    });
    await t.http().post(`/v1/connections/${id}/test`).set(bearer(keys.viewer)).expect(403);
  });

  it('exposes runs, durations, records and seconds since the last success on /metrics', async () => {
    const id = await connection('metrics');
    sourceFor('metrics').generated = { pages: 1, pageSize: 4 };
    const { runId } = (await t.http().post(`/v1/connections/${id}/sync`).set(bearer(keys.operator)).expect(202)).body;
    await t.app.get(SyncRunner).execute({ runId, tenantId: tenant.tenantId, connectionId: id });
    t.clock.set(new Date(t.clock.now().getTime() + 90_000));
    const text = (await t.http().get('/metrics').expect(200)).text;
    expect(text).toMatch(/ledgerbridge_sync_runs_total\{provider="test",status="succeeded"\} [1-9]/);
    expect(text).toMatch(/ledgerbridge_sync_run_duration_seconds_count\{provider="test"\} [1-9]/);
    expect(text).toMatch(/ledgerbridge_sync_records_total\{entity="invoices",outcome="created"\} \d+/);
    expect(text).toContain(`ledgerbridge_sync_seconds_since_last_success{connection_id="${id}",provider="test"} 90`);
  });
});
