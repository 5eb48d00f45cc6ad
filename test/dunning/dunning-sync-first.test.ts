import { bearer } from '../helpers/app';
import { aConnection } from '../helpers/factories';
import { resetSources, sourceFor, TestConnectorModule } from '../support/test-connector';
import { anOpenInvoice, dunningWorld, dupont, type DunningWorld } from './dunning-fixture';

jest.setTimeout(120_000);

/** Before reminding, a connection not synced within DUNNING_SYNC_FRESHNESS_HOURS is synced (or held). */
describe('dunning: stale connections are synced first', () => {
  let w: DunningWorld;

  beforeAll(async () => {
    w = await dunningWorld({ DUNNING_SYNC_FRESHNESS_HOURS: '24' }, { extraModules: [TestConnectorModule], provider: 'test' });
  });

  afterAll(() => w.close());

  beforeEach(() => resetSources());

  /** Runs at 10:00 Paris on `date` without marking the connection synced (unlike w.run). */
  const runAt = async (date: string) => {
    w.t.clock.set(`${date}T09:00:00Z`);
    return (await w.t.http().post('/v1/dunning/runs').set(bearer(w.operatorKey)).send({}).expect(200)).body;
  };

  it('syncs a stale scheduled connection before planning: the payment it brings stops the reminder', async () => {
    await w.t.ds.query(`UPDATE connections SET cron = '0 6 * * *', last_success_at = '2026-02-01T06:00:00Z' WHERE id = $1`, [w.scope.connectionId]);
    const c = await dupont(w);
    await anOpenInvoice(w, c, { externalId: 'INV-PAID', number: 'F-PAID' });
    await anOpenInvoice(w, c, { externalId: 'INV-OPEN', number: 'F-OPEN', totalMinor: 30_000 });
    // what the source knows and the ledger does not yet: INV-PAID was paid on 02-03
    sourceFor().pages = [{
      cursor: null,
      payments: [{ externalId: 'P-1', customerExternalId: c.externalId, date: '2026-02-03', currency: 'EUR', amountMinor: 120_000n }],
      allocations: [{ externalId: 'AL-1', invoiceExternalId: 'INV-PAID', paymentExternalId: 'P-1', amountMinor: 120_000n, currency: 'EUR', date: '2026-02-03' }],
    }];
    const r = await runAt('2026-02-05');
    expect(r.syncedFirst).toEqual([{ connectionId: w.scope.connectionId, name: expect.any(String), runId: expect.any(String), status: 'succeeded', error: null }]);
    const [run] = await w.t.ds.query(`SELECT trigger, status FROM sync_runs WHERE id = $1`, [r.syncedFirst[0].runId]);
    expect(run).toEqual({ trigger: 'dunning', status: 'succeeded' });
    expect(r.held).toEqual([]);
    expect(r.messages.flatMap((m: { invoices: Array<{ number: string }> }) => m.invoices.map((i) => i.number))).toEqual(['F-OPEN']);
    expect(w.smtp.received.map((m) => m.text.includes('F-PAID'))).toEqual([false]);
    // fresh now: the next run the same day syncs nothing
    expect((await runAt('2026-02-05')).syncedFirst).toEqual([]);
  });

  it('holds instead when the sync fails, when the connection has no schedule (uploads), or when the tenant chose "hold"', async () => {
    w.smtp.clear();
    // failing source
    await w.t.ds.query(`UPDATE connections SET last_success_at = '2026-02-01T06:00:00Z' WHERE id = $1`, [w.scope.connectionId]);
    const c = await dupont(w, { name: 'Martin SA', emails: ['ap@martin.test'] });
    await anOpenInvoice(w, c, { number: 'M-1', dueDate: '2026-02-10' });
    // the first test left the cursor at page 1: the source fails there
    sourceFor().pages = [{ cursor: null }, { cursor: null }];
    sourceFor().failAt(1, () => new Error('ECONNRESET'));
    const failed = await runAt('2026-02-16');
    expect(failed.syncedFirst.map((s: { status: string; error: string }) => [s.status, s.error])).toEqual([['failed', 'ECONNRESET']]);
    expect(failed.held.map((h: { customerId: string; reason: string }) => [h.customerId, h.reason])).toContainEqual([c.id, 'stale_sync']);
    expect(w.smtp.received).toEqual([]);

    // tenant setting: hold without syncing
    await w.t.http().patch('/v1/settings').set(bearer(w.tenant.adminKey)).send({ dunning: { staleSync: 'hold' } }).expect(200);
    const held = await runAt('2026-02-16');
    expect(held.syncedFirst).toEqual([]);
    expect(held.held.map((h: { reason: string }) => h.reason)).toContain('stale_sync');
    await w.t.http().patch('/v1/settings').set(bearer(w.tenant.adminKey)).send({ dunning: { staleSync: null } }).expect(200);

    // an upload-only connection (no schedule) is never synced by dunning
    const uploads = await aConnection(w.t.ds, w.tenant.tenantId, { provider: 'test', name: 'uploads' });
    await w.t.ds.query(`UPDATE connections SET cron = NULL WHERE id = $1`, [uploads]);
    await w.t.ds.query(`UPDATE connections SET cron = NULL WHERE id = $1`, [w.scope.connectionId]);
    const none = await runAt('2026-02-17');
    expect(none.syncedFirst).toEqual([]);
    const [{ n }] = await w.t.ds.query(`SELECT count(*)::int AS n FROM sync_runs WHERE trigger = 'dunning'`);
    expect(n).toBe(2);
  });
});
