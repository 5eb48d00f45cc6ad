import { TransientSyncError } from '../../src/connectors/connector';
import { CliError } from '../../src/cli/cli-context';
import { syncInForeground } from '../../src/sync/sync.commands';
import { SyncRunsService } from '../../src/sync/sync-runs.service';
import { bearer, createTenant, startTestApp, TestApp, TestTenant } from '../helpers/app';
import { resetSources, sourceFor, TestConnectorModule } from '../support/test-connector';

/** `ledgerbridge sync <connection> --tenant <id>`: its action, run against the test app's modules. */
describe('sync in the foreground (CLI command action)', () => {
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await startTestApp({ extraModules: [TestConnectorModule] });
    tenant = await createTenant(t);
    await t.http().post('/v1/connections').set(bearer(tenant.adminKey)).send({ provider: 'test', name: 'books', settings: { label: 'cli' } }).expect(201);
  });

  afterAll(() => t.close(), 60_000);

  beforeEach(() => resetSources());

  it('runs a connection by name with progress per batch, recorded in the run history', async () => {
    sourceFor('cli').generated = { pages: 3, pageSize: 4 };
    const progress: number[] = [];
    const batches: number[] = [];
    const { runId, outcome } = await syncInForeground(t.app, tenant.tenantId, 'books', {
      onProgress: (done) => progress.push(done),
      onBatch: (_, n) => batches.push(n),
    });
    expect(outcome).toMatchObject({ status: 'succeeded', counts: { invoices: { created: 12 }, payments: { created: 6 } } });
    expect(progress).toEqual([1, 2, 3]);
    expect(batches).toEqual([1, 2, 3]);
    expect((await t.app.get(SyncRunsService).get(tenant.tenantId, runId)).trigger).toBe('manual');
  });

  it('fails a transient error at once (no re-queue), refuses unknown connections and concurrent runs', async () => {
    await t.ds.query(`UPDATE connections SET cursor = NULL WHERE name = 'books'`);
    sourceFor('cli').generated = { pages: 1, pageSize: 1 };
    sourceFor('cli').failAt(0, () => new TransientSyncError('source unreachable'));
    expect((await syncInForeground(t.app, tenant.tenantId, 'books')).outcome).toMatchObject({ status: 'failed', permanent: false, error: 'source unreachable' });
    await expect(syncInForeground(t.app, tenant.tenantId, 'nope')).rejects.toThrow(new CliError(`no connection named "nope" in tenant ${tenant.tenantId}`));
    const conn = (await t.ds.query(`SELECT id FROM connections WHERE name = 'books'`))[0].id;
    const { runId } = await t.app.get(SyncRunsService).request(tenant.tenantId, conn, 'manual');
    await expect(syncInForeground(t.app, tenant.tenantId, conn)).rejects.toThrow(`already queued or running (${runId})`);
  });
});
