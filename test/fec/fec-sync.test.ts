import { copyFileSync, mkdtempSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SyncRunner } from '../../src/sync/sync-runner';
import { bearer, createTenant, startTestApp, TestApp, TestTenant } from '../helpers/app';
import { balancesOf, expectedBalances, FIXTURES } from './fec-helpers';

/** A fec connection watching a directory, synced through the sync API and runner. */
describe('FEC directory watch through POST /v1/connections/{id}/sync', () => {
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createTenant(t);
  });

  afterAll(() => t.close(), 60_000);

  async function sync(id: string): Promise<Record<string, unknown>> {
    const res = await t.http().post(`/v1/connections/${id}/sync`).set(bearer(tenant.adminKey)).expect(202);
    await t.app.get(SyncRunner).execute({ runId: res.body.runId, tenantId: tenant.tenantId, connectionId: id });
    return (await t.http().get(`/v1/sync-runs/${res.body.runId}`).set(bearer(tenant.adminKey)).expect(200)).body;
  }

  it('imports new or changed files on each sync, records which file, and leaves the ledger alone when nothing changed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lb-fec-sync-'));
    const created = await t.http().post('/v1/connections').set(bearer(tenant.adminKey))
      .send({ provider: 'fec', name: 'Watched', settings: { directory: dir, pattern: 'FEC*.txt' } }).expect(201);
    const id = created.body.id as string;
    expect(created.body.settings).toEqual({ directory: dir, pattern: 'FEC*.txt', defaultTerms: { days: 30, endOfMonth: false } });

    copyFileSync(path.join(FIXTURES, 'cumul-2024-01.txt'), path.join(dir, 'FEC-01.txt'));
    utimesSync(path.join(dir, 'FEC-01.txt'), new Date('2024-02-01T00:00:00Z'), new Date('2024-02-01T00:00:00Z'));
    const first = await sync(id);
    expect(first).toMatchObject({
      status: 'succeeded',
      counts: { invoices: { created: 3, updated: 0, unchanged: 0, deleted: 0 }, customers: { created: 2, updated: 0, unchanged: 0, deleted: 0 } },
      details: { files: ['FEC-01.txt'], superseded: [] },
    });
    const due = await t.ds.query(`SELECT to_char(due_date, 'YYYY-MM-DD') AS d FROM invoices WHERE connection_id = $1 ORDER BY issue_date`, [id]);
    expect(due.map((r: { d: string }) => r.d)).toEqual(['2024-02-04', '2024-02-09', '2024-02-19']);

    const idle = await sync(id);
    expect(idle).toMatchObject({ status: 'succeeded', counts: { invoices: { created: 0, updated: 0, unchanged: 0, deleted: 0 } } });
    expect(await balancesOf(t, tenant.tenantId, id)).toEqual(expectedBalances(path.join(FIXTURES, 'cumul-2024-01.txt')));

    copyFileSync(path.join(FIXTURES, 'cumul-2024-02.txt'), path.join(dir, 'FEC-02.txt'));
    utimesSync(path.join(dir, 'FEC-02.txt'), new Date('2024-03-01T00:00:00Z'), new Date('2024-03-01T00:00:00Z'));
    const second = await sync(id);
    expect(second).toMatchObject({
      status: 'succeeded',
      counts: { invoices: { created: 1, updated: 2, unchanged: 0, deleted: 1 } },
      details: { files: ['FEC-02.txt'] },
    });
    expect(await balancesOf(t, tenant.tenantId, id)).toEqual(expectedBalances(path.join(FIXTURES, 'cumul-2024-02.txt')));
  });
});
