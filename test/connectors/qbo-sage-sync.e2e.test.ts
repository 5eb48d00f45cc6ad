import { SchedulerRegistry } from '@nestjs/schedule';
import nock from 'nock';
import { SyncRunner } from '../../src/sync/sync-runner';
import { syncInForeground } from '../../src/sync/sync.commands';
import { bearer, createTenant, startTestApp, type TestApp, type TestTenant } from '../helpers/app';
import { FakeQbo, QBO_API, QBO_REALM, QBO_TOKEN_URL } from '../support/fake-qbo';
import { FakeSage, SAGE_API, SAGE_TOKEN_URL } from '../support/fake-sage';
import { emptySource, expiredCredentials, type SourceState } from '../support/fake-source';

jest.setTimeout(60_000);

/**
 * QuickBooks and Sage connections end to end: created over HTTP with a schedule, the cron tick
 * queues a run, the worker's runner writes the ledger (read back over HTTP), the CLI's
 * foreground sync runs the next one, and a revoked authorization puts the connection in
 * `needs_attention`.
 */
describe('QuickBooks and Sage connections sync on schedule, through the API and the CLI', () => {
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    t = await startTestApp({
      env: { SCHEDULER_ENABLED: 'true', QBO_API_URL: QBO_API, QBO_OAUTH_URL: QBO_TOKEN_URL, SAGE_API_URL: SAGE_API, SAGE_OAUTH_URL: SAGE_TOKEN_URL },
    });
    tenant = await createTenant(t);
  });

  afterAll(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await t.close();
  });

  beforeEach(() => {
    nock.cleanAll();
    t.clock.set('2026-01-15T09:00:00Z');
  });

  function company(id: (kind: 'customer' | 'invoice' | 'payment', n: number) => string): SourceState {
    const s = emptySource();
    s.customers.push({ id: id('customer', 1), name: 'Amy Bird Sanctuary', currency: 'EUR', email: 'compta@amy.example', updatedAt: '2026-01-10T08:00:00Z' });
    s.invoices.push(
      { id: id('invoice', 1), customerId: id('customer', 1), number: 'F-1', issueDate: '2026-01-02', dueDate: '2026-02-01', currency: 'EUR', total: '1200.50', balance: '200.50', updatedAt: '2026-01-10T08:01:00Z' },
      { id: id('invoice', 2), customerId: id('customer', 1), number: 'F-2', issueDate: '2026-01-03', dueDate: '2026-02-02', currency: 'EUR', total: '99.99', balance: '99.99', updatedAt: '2026-01-10T08:02:00Z' },
    );
    s.payments.push({ id: id('payment', 1), customerId: id('customer', 1), date: '2026-01-12', currency: 'EUR', amount: '1000.00', lines: [{ kind: 'invoice', id: id('invoice', 1), amount: '1000.00' }], updatedAt: '2026-01-12T10:00:00Z' });
    return s;
  }

  const CASES = [
    {
      provider: 'quickbooks',
      settings: { realmId: QBO_REALM },
      id: (kind: 'customer' | 'invoice' | 'payment', n: number) => String(n + { customer: 0, invoice: 1000, payment: 8000 }[kind]),
      serve: (s: SourceState) => new FakeQbo(s, () => t.clock.now()).install(),
    },
    {
      provider: 'sage',
      settings: {},
      id: (kind: 'customer' | 'invoice' | 'payment', n: number) => `${{ customer: 'c', invoice: 'a', payment: 'd' }[kind]}${n.toString(16).padStart(31, '0')}`,
      serve: (s: SourceState) => new FakeSage(s).install(),
    },
  ] as const;

  for (const c of CASES) {
    it(`${c.provider}: scheduled run, ledger over HTTP, CLI run, revoked authorization → needs_attention`, async () => {
      const source = company(c.id);
      const vendor = c.serve(source);
      const name = `${c.provider} books`;
      const created = await t.http().post('/v1/connections').set(bearer(tenant.adminKey))
        .send({ provider: c.provider, name, settings: c.settings, credentials: expiredCredentials(), schedule: { cron: '0 */2 * * *', timezone: 'Europe/Paris' } })
        .expect(201);
      const id = created.body.id as string;

      // The schedule: the cron tick only enqueues; the worker runs the job.
      await t.app.get(SchedulerRegistry).getCronJob(`sync:${id}`).fireOnTick();
      const [run] = await t.ds.query(`SELECT id, trigger, status FROM sync_runs WHERE connection_id = $1`, [id]);
      expect(run).toMatchObject({ trigger: 'schedule', status: 'queued' });
      await t.app.get(SyncRunner).execute({ runId: run.id, tenantId: tenant.tenantId, connectionId: id });
      const done = (await t.http().get(`/v1/sync-runs/${run.id}`).set(bearer(tenant.adminKey)).expect(200)).body;
      expect(done).toMatchObject({
        status: 'succeeded',
        counts: {
          customers: { created: 1, updated: 0, deleted: 0 },
          invoices: { created: 2, updated: 0, deleted: 0 },
          payments: { created: 1, updated: 0, deleted: 0 },
          allocations: { created: 1, updated: 0, deleted: 0 },
        },
      });
      expect(vendor.auth.refreshes).toBe(1);

      const invoices = (await t.http().get(`/v1/invoices?connection=${id}`).set(bearer(tenant.adminKey)).expect(200)).body.items as Array<Record<string, unknown>>;
      expect(invoices.map((i) => [i.number, i.totalMinor, i.outstandingMinor, i.currency, i.dueDate]).sort()).toEqual([
        ['F-1', 120050, 20050, 'EUR', '2026-02-01'],
        ['F-2', 9999, 9999, 'EUR', '2026-02-02'],
      ]);

      // The CLI's foreground sync (same runner, no queue): picks up a change.
      t.clock.set('2026-01-16T09:00:00Z');
      Object.assign(source.invoices[1], { balance: '0', updatedAt: '2026-01-16T08:00:00Z' });
      source.payments.push({ id: c.id('payment', 2), customerId: c.id('customer', 1), date: '2026-01-16', currency: 'EUR', amount: '99.99', lines: [{ kind: 'invoice', id: c.id('invoice', 2), amount: '99.99' }], updatedAt: '2026-01-16T08:00:00Z' });
      const cli = await syncInForeground(t.app, tenant.tenantId, name);
      expect(cli.outcome).toMatchObject({ status: 'succeeded', counts: { invoices: { created: 0, updated: 1 }, payments: { created: 1 }, allocations: { created: 1 } } });
      const after = (await t.http().get(`/v1/invoices?connection=${id}`).set(bearer(tenant.adminKey)).expect(200)).body.items as Array<Record<string, unknown>>;
      expect(after.map((i) => [i.number, i.outstandingMinor]).sort()).toEqual([['F-1', 20050], ['F-2', 0]]);

      // The user revokes the app: the access token expires, the refresh is refused.
      vendor.auth.revoked = true;
      vendor.auth.accessToken = 'revoked';
      t.clock.set('2026-01-17T09:00:00Z');
      const failed = await syncInForeground(t.app, tenant.tenantId, name);
      expect(failed.outcome).toMatchObject({ status: 'failed', permanent: true });
      const conn = (await t.http().get(`/v1/connections/${id}`).set(bearer(tenant.adminKey)).expect(200)).body;
      expect(conn).toMatchObject({ status: 'needs_attention', statusReason: 'reconnect required: the authorization was refused by the provider (invalid_grant)' });
    });
  }

  it('quickbooks: the runner lists the ledger\'s live ids, so a full pass past the CDC window tombstones a deletion', async () => {
    const source = company(CASES[0].id);
    CASES[0].serve(source);
    const name = 'quickbooks reconciled';
    await t.http().post('/v1/connections').set(bearer(tenant.adminKey))
      .send({ provider: 'quickbooks', name, settings: CASES[0].settings, credentials: expiredCredentials() })
      .expect(201);
    expect((await syncInForeground(t.app, tenant.tenantId, name)).outcome).toMatchObject({ status: 'succeeded' });
    source.invoices.splice(1, 1);
    t.clock.set('2026-02-25T09:00:00Z');
    const outcome = (await syncInForeground(t.app, tenant.tenantId, name)).outcome;
    expect(outcome).toMatchObject({ status: 'succeeded', counts: { invoices: { deleted: 1 } } });
    const [conn] = await t.ds.query(`SELECT id FROM connections WHERE tenant_id = $1 AND name = $2`, [tenant.tenantId, name]);
    const live = await t.ds.query(`SELECT number FROM invoices WHERE connection_id = $1 AND deleted_at IS NULL`, [conn.id]);
    expect(live).toEqual([{ number: 'F-1' }]);
  });
});
