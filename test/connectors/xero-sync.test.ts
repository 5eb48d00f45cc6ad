import { SchedulerRegistry } from '@nestjs/schedule';
import nock from 'nock';
import { SyncRunner } from '../../src/sync/sync-runner';
import { cronName, SyncScheduler } from '../../src/sync/sync-scheduler';
import { bearer, createTenant, startTestApp, type TestApp, type TestTenant } from '../helpers/app';
import { TestClock } from '../helpers/clock';
import { emptySource, expiredCredentials, type SourceState } from '../support/fake-source';
import { FakeXero, XERO_ENV } from '../support/fake-xero';
import { XERO_TENANT } from '../support/xero-fixtures';

const id = (p: string, n: number) => `${p}0000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const C1 = id('c', 1);
const C2 = id('c', 2);

describe('Xero connection end to end: API, schedule, runner, ledger', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let source: SourceState;
  let xero: FakeXero;
  const clock = new TestClock(new Date('2026-01-15T09:00:00Z'));

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    t = await startTestApp({ clock, env: { ...XERO_ENV, SCHEDULER_ENABLED: 'true' } });
    tenant = await createTenant(t);
  });
  afterAll(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await t.close();
  });
  beforeEach(() => {
    nock.cleanAll();
    source = emptySource();
    source.customers.push(
      { id: C1, name: 'Ridgeway University', currency: 'NZD', email: 'ap@ridgeway.test', updatedAt: '2026-01-02T08:00:00Z' },
      { id: C2, name: 'Boom FM', currency: 'USD', updatedAt: '2026-01-02T08:00:01Z' },
    );
    source.invoices.push(
      { id: id('a', 1), customerId: C1, number: 'INV-0001', issueDate: '2026-01-03', dueDate: '2026-02-02', currency: 'NZD', total: '1150.00', balance: '0', updatedAt: '2026-01-04T10:00:00Z' },
      { id: id('a', 2), customerId: C1, number: 'INV-0002', issueDate: '2026-01-03', dueDate: '2026-01-20', currency: 'NZD', total: '460.00', balance: '160.00', updatedAt: '2026-01-04T10:00:01Z' },
      { id: id('a', 3), customerId: C2, number: 'INV-0003', issueDate: '2026-01-05', dueDate: '2026-02-05', currency: 'USD', total: '999.99', balance: '999.99', rate: '0.5712', updatedAt: '2026-01-05T09:00:00Z' },
    );
    source.payments.push({
      id: id('d', 1), customerId: C1, date: '2026-01-10', currency: 'NZD', amount: '1450.00', reference: 'DD 10/01',
      lines: [{ kind: 'invoice', id: id('a', 1), amount: '1150.00' }, { kind: 'invoice', id: id('a', 2), amount: '300.00' }], updatedAt: '2026-01-10T12:00:00Z',
    });
    xero = new FakeXero(source).install();
  });

  async function createConnection(name: string): Promise<string> {
    const res = await t.http().post('/v1/connections').set(bearer(tenant.adminKey)).send({
      provider: 'xero', name, settings: { tenantId: XERO_TENANT }, credentials: expiredCredentials(), schedule: { cron: '0 * * * *', timezone: 'UTC' },
    });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  /** What the cron entry does when due, then what a worker does with the queued job. */
  async function scheduledRun(connectionId: string): Promise<{ runId: string; outcome: Awaited<ReturnType<SyncRunner['execute']>> }> {
    expect(t.app.get(SchedulerRegistry).doesExist('cron', cronName(connectionId))).toBe(true);
    await t.app.get(SyncScheduler).tick(tenant.tenantId, connectionId);
    const runs = await t.http().get(`/v1/connections/${connectionId}/sync-runs`).set(bearer(tenant.adminKey)).expect(200);
    const queued = runs.body.items.find((r: { status: string }) => r.status === 'queued');
    expect(queued).toMatchObject({ trigger: 'schedule' });
    return { runId: queued.id, outcome: await t.app.get(SyncRunner).execute({ runId: queued.id, tenantId: tenant.tenantId, connectionId }) };
  }

  it('syncs on its schedule into the ledger, then incrementally', async () => {
    source.invoices.push({ id: id('a', 4), customerId: C2, number: 'INV-0004', issueDate: '2026-01-05', dueDate: '2026-02-05', currency: 'USD', total: '5.00', balance: '5.00', updatedAt: '2026-01-05T09:00:01Z', malformed: true });
    const connectionId = await createConnection('Xero NZ');
    const { runId, outcome } = await scheduledRun(connectionId);
    expect(outcome.status).toBe('succeeded');

    const invoices = await t.http().get('/v1/invoices').query({ connection: connectionId }).set(bearer(tenant.adminKey)).expect(200);
    const view = invoices.body.items
      .map((i: Record<string, unknown>) => [i.number, i.currency, i.totalMinor, i.outstandingMinor, i.status, i.dueDate])
      .sort((a: string[], b: string[]) => (a[0] < b[0] ? -1 : 1));
    expect(view).toEqual([
      ['INV-0001', 'NZD', 115000, 0, 'paid', '2026-02-02'],
      ['INV-0002', 'NZD', 46000, 16000, 'open', '2026-01-20'],
      ['INV-0003', 'USD', 99999, 99999, 'open', '2026-02-05'],
    ]);
    const payments = await t.http().get('/v1/payments').query({ connection: connectionId }).set(bearer(tenant.adminKey)).expect(200);
    expect(payments.body.items.map((p: Record<string, unknown>) => [p.amountMinor, p.currency, p.date, p.reference])).toEqual([[145000, 'NZD', '2026-01-10', 'DD 10/01']]);
    const run = await t.http().get(`/v1/sync-runs/${runId}`).set(bearer(tenant.adminKey)).expect(200);
    expect(run.body).toMatchObject({ status: 'succeeded', counts: { invoices: { created: 3 }, customers: { created: 2 }, payments: { created: 1 }, allocations: { created: 2 } } });
    expect(run.body.details.apiCalls).toBe(6);
    // The malformed invoice is reported in the run, the rest synced.
    expect(run.body.details.rejected).toEqual([{ entity: 'invoice', id: id('a', 4), reason: `invoice ${id('a', 4)}: Total: invalid amount "twelve": not a number` }]);

    // Next run: only what changed since the greatest UpdatedDateUTC seen (the rest of INV-0003 paid).
    clock.set('2026-01-15T10:00:00Z');
    Object.assign(source.invoices[2], { balance: '0', updatedAt: '2026-01-15T09:30:00Z' });
    source.payments.push({ id: id('d', 2), customerId: C2, date: '2026-01-15', currency: 'USD', amount: '999.99', lines: [{ kind: 'invoice', id: id('a', 3), amount: '999.99' }], updatedAt: '2026-01-15T09:31:00Z' });
    const before = xero.listRequests.length;
    const manual = await t.http().post(`/v1/connections/${connectionId}/sync`).set(bearer(tenant.adminKey)).expect(202);
    const second = await t.app.get(SyncRunner).execute({ runId: manual.body.runId, tenantId: tenant.tenantId, connectionId });
    expect(second).toMatchObject({ status: 'succeeded', counts: { invoices: { created: 0, updated: 1 }, payments: { created: 1 }, allocations: { created: 1 } } });
    expect(xero.listRequests.slice(before).map((r) => [r.list, r.ifModifiedSince])).toEqual([
      ['Contacts', '2026-01-02T07:58:01.000Z'],
      ['Invoices', '2026-01-05T08:58:01.000Z'],
      ['CreditNotes', null],
      ['Overpayments', null],
      ['Prepayments', null],
      ['Payments', '2026-01-10T11:58:00.000Z'],
    ]);
    const inv3 = (await t.http().get('/v1/invoices').query({ connection: connectionId, status: 'paid' }).set(bearer(tenant.adminKey))).body.items;
    expect(inv3.map((i: { number: string }) => i.number).sort()).toEqual(['INV-0001', 'INV-0003']);
  });

  it('a refused refresh token marks the connection needs_attention; a daily limit pauses it', async () => {
    const revokedId = await createConnection('Xero revoked');
    xero.auth.revoked = true;
    const failed = await scheduledRun(revokedId);
    expect(failed.outcome).toMatchObject({ status: 'failed', permanent: true });
    const conn = await t.http().get(`/v1/connections/${revokedId}`).set(bearer(tenant.adminKey)).expect(200);
    expect([conn.body.status, conn.body.statusReason]).toEqual(['needs_attention', 'reconnect required: the authorization was refused by the provider (invalid_grant)']);
    expect(xero.calls).toEqual([]);

    xero.auth.revoked = false;
    const limitedId = await createConnection('Xero daily limit');
    xero.failures.push({ status: 429, body: '', headers: { 'Retry-After': '7200', 'X-Rate-Limit-Problem': 'day', 'X-DayLimit-Remaining': '0' } });
    const paused = await scheduledRun(limitedId);
    expect(paused.outcome).toMatchObject({ status: 'paused', until: new Date(clock.now().getTime() + 7_200_000) });
    const p = await t.http().get(`/v1/connections/${limitedId}`).set(bearer(tenant.adminKey)).expect(200);
    expect([p.body.status, new Date(p.body.pausedUntil).getTime()]).toEqual(['paused', clock.now().getTime() + 7_200_000]);
  });
});
