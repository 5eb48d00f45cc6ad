import nock from 'nock';
import { APP_CONFIG } from '../../src/common/config/config.module';
import { SECRET_BOX, type SecretBox } from '../../src/common/crypto/secret-box';
import { OAuth2TokenStore } from '../../src/common/http/oauth2-token-store';
import { RateBudgets } from '../../src/common/http/rate-budget';
import { type Cursor, PermanentSyncError, SourcePausedError, type SyncBatch, TransientSyncError } from '../../src/connectors/connector';
import { XeroConnector } from '../../src/connectors/xero/xero.connector';
import { LedgerWriter } from '../../src/ledger/ledger-writer';
import { startTestApp, type TestApp } from '../helpers/app';
import { TestClock } from '../helpers/clock';
import { ClockSleeper } from '../support/clock-sleeper';
import { deleteFromSource, emptySource, expiredCredentials, type SourceInvoice, type SourceState } from '../support/fake-source';
import { FakeXero, XERO_ENV } from '../support/fake-xero';
import { aSealedConnection, pullContextFor } from '../support/pull-context';
import { aXeroOverpayment, XERO_TENANT } from '../support/xero-fixtures';

const id = (p: string, n: number) => `${p}0000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const C1 = id('c', 1);
/** Source times an hour apart: far outside the overlap window. */
const hour = (n: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + n * 3_600_000).toISOString();

describe('Xero connector', () => {
  let app: TestApp;
  let box: SecretBox;
  let clock: TestClock;
  let sleeper: ClockSleeper;
  let connector: XeroConnector;
  let writer: LedgerWriter;
  let source: SourceState;
  let xero: FakeXero;
  let ids: { tenantId: string; connectionId: string };

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    clock = new TestClock();
    app = await startTestApp({ env: XERO_ENV, clock });
    box = app.app.get(SECRET_BOX);
    writer = new LedgerWriter(clock);
  });
  afterAll(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await app.close();
  });

  async function setup(settings: Record<string, unknown> = {}): Promise<void> {
    nock.cleanAll();
    clock.set('2026-01-15T09:00:00Z');
    sleeper = new ClockSleeper(clock);
    connector = new XeroConnector(app.app.get(APP_CONFIG), app.app.get(OAuth2TokenStore), new RateBudgets(clock, sleeper), sleeper);
    source = emptySource();
    source.customers.push({ id: C1, name: 'Ridgeway University', currency: 'NZD', email: 'ap@ridgeway.test', updatedAt: hour(0) });
    xero = new FakeXero(source).install();
    ids = await aSealedConnection(app.ds, box, { provider: 'xero', settings: { tenantId: XERO_TENANT, ...settings }, credentials: expiredCredentials() });
  }

  const inv = (n: number, over: Partial<SourceInvoice> = {}): SourceInvoice => ({
    id: id('a', n), customerId: C1, number: `INV-${n}`, issueDate: '2026-01-05', dueDate: '2026-02-04', currency: 'NZD', total: '100.00', balance: '100.00', updatedAt: hour(10 + n), ...over,
  });

  /** What the sync runner does; `stopAfter` interrupts the run after that many batches. */
  async function sync(stopAfter = Infinity): Promise<SyncBatch[]> {
    const ctx = await pullContextFor(app.ds, box, ids, clock);
    const [row] = await app.ds.query('SELECT cursor FROM connections WHERE id = $1', [ids.connectionId]);
    const out: SyncBatch[] = [];
    for await (const b of connector.pull(ctx, row.cursor as Cursor | null)) {
      out.push(b);
      await app.ds.transaction(async (em) => {
        await writer.write(em, ids, b);
        await em.query('UPDATE connections SET cursor = $1 WHERE id = $2', [JSON.stringify(b.cursor), ids.connectionId]);
      });
      if (out.length >= stopAfter) break;
    }
    return out;
  }

  const invoiceRows = (): Promise<Array<{ external_id: string; status: string; total_minor: string; deleted_at: Date | null; outstanding: string }>> =>
    app.ds.query(
      `SELECT i.external_id, i.status, i.total_minor, i.deleted_at,
              (i.total_minor - COALESCE((SELECT sum(a.amount_minor) FROM allocations a WHERE a.invoice_id = i.id AND a.deleted_at IS NULL), 0))::text AS outstanding
         FROM invoices i WHERE i.connection_id = $1 AND i.tenant_id = $2 ORDER BY i.external_id`,
      [ids.connectionId, ids.tenantId],
    );

  it('never misses an invoice updated while the previous run paged through the list', async () => {
    await setup({ pageSize: 3 });
    for (let i = 1; i <= 7; i++) source.invoices.push(inv(i));
    // While page 2 of the first run is requested, invoice 1 (already read on page 1) is paid.
    let changed = false;
    xero.onList = (list) => {
      if (list === 'Invoices' && !changed && xero.calls.filter((c) => c === 'GET Invoices').length === 2) {
        changed = true;
        Object.assign(source.invoices[0], { balance: '0', updatedAt: hour(100) });
      }
    };
    await sync();
    await sync();
    const rows = await invoiceRows();
    expect(rows.map((r) => [r.external_id.slice(-1), r.status])).toEqual([['1', 'paid'], ['2', 'open'], ['3', 'open'], ['4', 'open'], ['5', 'open'], ['6', 'open'], ['7', 'open']]);
    // The second run starts from the greatest UpdatedDateUTC seen, minus the overlap window.
    const [{ cursor }] = await app.ds.query('SELECT cursor FROM connections WHERE id = $1', [ids.connectionId]);
    expect(cursor.done.invoices.at).toBe(hour(100));
  });

  it('resumes an interrupted run from the page it stopped at', async () => {
    await setup({ pageSize: 2 });
    for (let i = 1; i <= 5; i++) source.invoices.push(inv(i));
    // Contacts (1 page), then invoices page 1: interrupted after it was written.
    await sync(2);
    expect(xero.calls.filter((c) => c === 'GET Invoices')).toHaveLength(1);
    const [{ cursor }] = await app.ds.query('SELECT cursor FROM connections WHERE id = $1', [ids.connectionId]);
    expect([cursor.phase, cursor.page, cursor.ims]).toEqual(['invoices', 1, new Date(Date.parse(hour(12)) - 1000).toISOString()]);
    const before = xero.listRequests.length;
    await sync();
    // The resumed run goes on from the cursor (never from the start), one record per page
    // being re-read for the overlap window; `pagination.pageCount` says when the list ends.
    const resumed = xero.listRequests.slice(before).filter((r) => r.list === 'Invoices');
    expect(resumed.map((r) => [r.page, r.ifModifiedSince])).toEqual([
      [1, new Date(Date.parse(hour(12)) - 1000).toISOString()],
      [1, new Date(Date.parse(hour(13)) - 1000).toISOString()],
      [1, new Date(Date.parse(hour(14)) - 1000).toISOString()],
    ]);
    expect((await invoiceRows()).map((r) => r.external_id.slice(-1))).toEqual(['1', '2', '3', '4', '5']);
  });

  it('pauses when the daily limit is reached instead of failing', async () => {
    await setup();
    source.invoices.push(inv(1));
    xero.failures.push({ status: 429, body: '', headers: { 'Retry-After': '5400', 'X-Rate-Limit-Problem': 'day', 'X-DayLimit-Remaining': '0' } });
    const err = await sync().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourcePausedError);
    expect((err as SourcePausedError).until.toISOString()).toBe('2026-01-15T10:30:00.000Z');
    expect(sleeper.waits).toEqual([]);
  });

  it('slows down before the daily counter runs out: the last call left pauses the next run', async () => {
    await setup();
    source.invoices.push(inv(1));
    xero.dayRemaining = 3;
    const err = await sync().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourcePausedError);
    // Contacts, invoices and credit notes answered; the counter reads 0 after the third call.
    expect(xero.calls).toEqual(['GET Contacts', 'GET Invoices', 'GET CreditNotes']);
    expect((err as SourcePausedError).until.toISOString()).toBe('2026-01-15T10:00:00.000Z');
  });

  it('an overpayment allocated across two invoices settles both exactly', async () => {
    await setup();
    source.invoices.push(inv(1, { total: '120.50', balance: '0' }), inv(2, { total: '80.00', balance: '30.00' }));
    xero.extras.overpayments.push(
      aXeroOverpayment({
        id: id('e', 1), contactId: C1, total: 250, date: '2026-01-08', updated: hour(40),
        allocations: [
          { invoiceId: id('a', 1), amount: 120.5, date: '2026-01-09', allocationId: id('f', 1) },
          { invoiceId: id('a', 2), amount: 50, date: '2026-01-09', allocationId: id('f', 2) },
        ],
      }),
    );
    await sync();
    expect((await invoiceRows()).map((r) => [r.external_id.slice(-1), r.status, r.outstanding])).toEqual([['1', 'paid', '0'], ['2', 'open', '3000']]);
    const [p] = await app.ds.query('SELECT kind, amount_minor, currency, date::text FROM payments WHERE connection_id = $1', [ids.connectionId]);
    expect(p).toEqual({ kind: 'overpayment', amount_minor: '25000', currency: 'NZD', date: '2026-01-08' });
  });

  it('a deleted payment re-opens the invoice it paid; a voided invoice becomes a tombstone', async () => {
    await setup();
    source.invoices.push(inv(1, { total: '150.00', balance: '0' }), inv(2));
    source.payments.push({ id: id('d', 1), customerId: C1, date: '2026-01-10', currency: 'NZD', amount: '150.00', lines: [{ kind: 'invoice', id: id('a', 1), amount: '150.00' }], updatedAt: hour(50) });
    await sync();
    expect((await invoiceRows()).map((r) => [r.status, r.outstanding])).toEqual([['paid', '0'], ['open', '10000']]);
    // In Xero: the payment is deleted (the invoice goes back to AUTHORISED), invoice 2 is voided.
    deleteFromSource(source, 'payment', id('d', 1), hour(60));
    Object.assign(source.invoices[0], { balance: '150.00', updatedAt: hour(60) });
    deleteFromSource(source, 'invoice', id('a', 2), hour(61));
    await sync();
    const rows = await invoiceRows();
    expect(rows.map((r) => [r.status, r.outstanding, r.deleted_at !== null])).toEqual([['open', '15000', false], [rows[1].status, '10000', true]]);
    const [p] = await app.ds.query('SELECT deleted_at FROM payments WHERE connection_id = $1', [ids.connectionId]);
    expect(p.deleted_at).not.toBeNull();
  });

  it('write-back: one history note with an Idempotency-Key, retried on 5xx with the same key', async () => {
    await setup();
    source.invoices.push(inv(1));
    xero.failures.push({ status: 503, body: { Title: 'Service Unavailable' } });
    const ctx = await pullContextFor(app.ds, box, ids, clock);
    const update = { invoiceExternalId: id('a', 1), event: 'reminder_sent' as const, message: 'Reminder 2 sent by email on 2026-03-05', idempotencyKey: 'reminder:inv-1:step-2:email', at: clock.now() };
    await connector.pushStatus(ctx, update);
    await connector.pushStatus(ctx, update);
    expect(xero.history.get(id('a', 1))).toEqual(['[Ledgerbridge] Reminder 2 sent by email on 2026-03-05']);
    // 503 on the first GET History, then GET, PUT; the second push finds the note and stops.
    expect(xero.calls).toEqual(['GET Invoices/{id}/History', 'GET Invoices/{id}/History', 'PUT Invoices/{id}/History', 'GET Invoices/{id}/History']);
    expect([...xero.idempotency.entries()]).toEqual([['reminder:inv-1:step-2:email', 1]]);
    expect(sleeper.waits).toHaveLength(1);
  });

  it('write-back failures are thrown quickly for the outbox to retry, never retried for long', async () => {
    await setup();
    source.invoices.push(inv(1));
    for (let i = 0; i < 3; i++) xero.failures.push({ status: 503, body: { Title: 'Service Unavailable' } });
    const ctx = await pullContextFor(app.ds, box, ids, clock);
    const update = { invoiceExternalId: id('a', 1), event: 'reminder_sent' as const, message: 'Reminder 1 sent by email on 2026-01-15', idempotencyKey: 'k-1', at: clock.now() };
    const err = await connector.pushStatus(ctx, update).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientSyncError);
    expect(sleeper.waits.length).toBe(2);
    expect(sleeper.waits.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(30_000);
    const gone = await connector.pushStatus(ctx, { ...update, invoiceExternalId: id('a', 99) }).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(PermanentSyncError);
    expect((gone as Error).message).toBe(`GET /Invoices/${id('a', 99)}/History answered 404: The resource you're looking for cannot be found`);
  });

  it('keeps to 60 calls a minute per organisation: the 61st call waits for the window', async () => {
    await setup();
    for (let i = 1; i <= 31; i++) source.invoices.push(inv(i));
    const ctx = await pullContextFor(app.ds, box, ids, clock);
    // 31 write-backs = 62 calls (read the history, add the note), all at the same instant.
    for (let i = 1; i <= 31; i++) {
      await connector.pushStatus(ctx, { invoiceExternalId: id('a', i), event: 'reminder_sent', message: `Reminder 1 for INV-${i}`, idempotencyKey: `k-${i}`, at: clock.now() });
    }
    expect(xero.calls).toHaveLength(62);
    expect(sleeper.waits).toEqual([60_000]);
    expect(clock.now().toISOString()).toBe('2026-01-15T09:01:00.000Z');
  });
});
