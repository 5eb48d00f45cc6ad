import nock from 'nock';
import type { DataSource } from 'typeorm';
import { SECRET_BOX, type SecretBox } from '../../src/common/crypto/secret-box';
import { ReconnectRequiredError } from '../../src/common/http/oauth2-client';
import type { Sleeper } from '../../src/common/http/sleeper';
import { type Connector, PermanentSyncError, type SyncBatch } from '../../src/connectors/connector';
import { LedgerWriter } from '../../src/ledger/ledger-writer';
import { startTestApp, type TestApp } from '../helpers/app';
import { TestClock } from '../helpers/clock';
import { ClockSleeper } from './clock-sleeper';
import { deleteFromSource, emptySource, expiredCredentials, type FakeAuthServer, type InjectedFailure, type SourceState } from './fake-source';
import { aSealedConnection, pullContextFor, storedCredentials } from './pull-context';

/** What a fake vendor exposes to the contract. */
export interface FakeVendor {
  auth: FakeAuthServer;
  /** One entry per API call (token calls excluded), e.g. `GET query:Invoice`, `GET sales_invoices`. */
  calls: string[];
  failures: InjectedFailure[];
}

/**
 * How the contract drives one API connector: its fake vendor, its configuration and its
 * id conventions. A new API connector gets the whole suite by writing one of these.
 */
export interface ApiConnectorHarness {
  provider: string;
  /** Environment pointing the connector at the fake vendor's hosts. */
  env: Record<string, string>;
  settings: Record<string, unknown>;
  /** Records per list call at the vendor's maximum. */
  pageSize: number;
  /** The connector under test, on the app's shared services and the test's sleeper. */
  connector(app: TestApp, sleeper: Sleeper, clock: TestClock): Connector;
  /** Installs the fake vendor (nock) serving `source`, live. */
  serve(source: SourceState, clock: TestClock): FakeVendor;
  /** Source ids in the vendor's shape. */
  sourceId(kind: 'customer' | 'invoice' | 'credit_note' | 'payment', n: number): string;
  /** Ledger external ids of source invoices / credit notes / payments. */
  ledgerId(kind: 'invoice' | 'credit_note' | 'payment', sourceId: string): string;
  /** Which logged calls listed invoices (to count pages). */
  isInvoiceListCall(call: string): boolean;
  /** The vendor's throttling answer. */
  throttled(retryAfterSeconds: number): InjectedFailure;
  /** The note the vendor shows on an invoice after a write-back. */
  invoiceNote(source: SourceState, sourceId: string): string | undefined;
}

const T0 = Date.parse('2026-01-10T08:00:00Z');
/** A distinct, increasing `updatedAt` per record. */
const at = (n: number) => new Date(T0 + n * 1000).toISOString();

interface InvoiceRow { external_id: string; kind: string; total_minor: string; currency: string; status: string; currency_rate: string | null; deleted_at: Date | null; number: string; due_date: string }

/** The contract every API connector passes (QuickBooks Online, Sage, Xero…). */
export function apiConnectorContract(h: ApiConnectorHarness): void {
  describe(`${h.provider}: API connector contract`, () => {
    // The multi-page case renders thousands of vendor records: more than jest's default 5 s on a busy machine.
    jest.setTimeout(60_000);
    let app: TestApp;
    let ds: DataSource;
    let box: SecretBox;
    let clock: TestClock;
    let sleeper: ClockSleeper;
    let connector: Connector;
    let writer: LedgerWriter;
    let source: SourceState;
    let vendor: FakeVendor;
    let ids: { tenantId: string; connectionId: string };

    beforeAll(async () => {
      nock.disableNetConnect();
      nock.enableNetConnect('127.0.0.1');
      clock = new TestClock(new Date('2026-01-15T09:00:00Z'));
      app = await startTestApp({ env: h.env, clock });
      ds = app.ds;
      box = app.app.get(SECRET_BOX);
      writer = new LedgerWriter(clock);
    });

    afterAll(async () => {
      nock.cleanAll();
      nock.enableNetConnect();
      await app.close();
    });

    beforeEach(async () => {
      nock.cleanAll();
      clock.set('2026-01-15T09:00:00Z');
      sleeper = new ClockSleeper(clock);
      connector = h.connector(app, sleeper, clock);
      source = baseSource();
      vendor = h.serve(source, clock);
      ids = await aSealedConnection(ds, box, { provider: h.provider, settings: h.settings, credentials: expiredCredentials() });
    });

    function baseSource(): SourceState {
      const s = emptySource();
      s.customers.push({ id: h.sourceId('customer', 1), name: 'Amy Bird Sanctuary', currency: 'USD', email: 'birds@example.com', updatedAt: at(0) });
      s.customers.push({ id: h.sourceId('customer', 2), name: 'Volières SGV', currency: 'EUR', updatedAt: at(1) });
      return s;
    }

    const inv = (n: number, over: Partial<SourceState['invoices'][number]> = {}): SourceState['invoices'][number] => ({
      id: h.sourceId('invoice', n), customerId: h.sourceId('customer', 1), number: `INV-${n}`, issueDate: '2026-01-05', dueDate: '2026-02-04',
      currency: 'USD', total: '100.10', balance: '100.10', updatedAt: at(100 + n), ...over,
    });

    /** What the sync runner does: each batch and its cursor in one transaction. */
    async function sync(): Promise<{ batches: SyncBatch[] }> {
      const ctx = await pullContextFor(ds, box, ids, clock);
      const [row] = await ds.query('SELECT cursor FROM connections WHERE id = $1', [ids.connectionId]);
      const batches: SyncBatch[] = [];
      for await (const batch of connector.pull(ctx, row.cursor)) {
        batches.push(batch);
        await ds.transaction(async (em) => {
          await writer.write(em, ids, batch);
          await em.query('UPDATE connections SET cursor = $1 WHERE id = $2 AND tenant_id = $3', [JSON.stringify(batch.cursor), ids.connectionId, ids.tenantId]);
        });
      }
      return { batches };
    }

    const invoices = (): Promise<InvoiceRow[]> =>
      ds.query(
        `SELECT external_id, kind, total_minor, currency, status, currency_rate, deleted_at, number, due_date::text FROM invoices WHERE connection_id = $1 ORDER BY external_id`,
        [ids.connectionId],
      );
    const live = async () => (await invoices()).filter((r) => !r.deleted_at);

    it('first sync pages through every record at the largest page size', async () => {
      const n = 2 * h.pageSize + 3;
      for (let i = 1; i <= n; i++) source.invoices.push(inv(i, { total: `${i}.05`, balance: `${i}.05` }));
      await sync();
      const rows = await live();
      expect(rows).toHaveLength(n);
      const sum = rows.reduce((s, r) => s + BigInt(r.total_minor), 0n);
      expect(sum).toBe(BigInt((n * (n + 1)) / 2) * 100n + BigInt(n) * 5n);
      expect(vendor.calls.filter(h.isInvoiceListCall)).toHaveLength(3);
      const [c] = await ds.query('SELECT count(*)::int AS n FROM customers WHERE connection_id = $1', [ids.connectionId]);
      expect(c.n).toBe(2);
    });

    it('incremental sync reads changes and new records, ties at the cursor included, and nothing else', async () => {
      for (let i = 1; i <= 5; i++) source.invoices.push(inv(i));
      await sync();
      const before = vendor.calls.length;
      clock.advanceDays(1);
      // Changed: paid in full. New: one sharing the last timestamp seen, one later.
      Object.assign(source.invoices[1], { balance: '0', updatedAt: at(500) });
      source.invoices.push(inv(6, { updatedAt: at(105) }), inv(7, { total: '7.77', balance: '7.77', updatedAt: at(600) }));
      await sync();
      const rows = await live();
      expect(rows.map((r) => [r.external_id, r.status, r.total_minor])).toEqual(
        [1, 2, 3, 4, 5, 6, 7]
          .map((n) => [h.ledgerId('invoice', h.sourceId('invoice', n)), n === 2 ? 'paid' : 'open', n === 7 ? '777' : '10010'])
          .sort((a, b) => (a[0] < b[0] ? -1 : 1)),
      );
      expect(vendor.calls.slice(before).filter(h.isInvoiceListCall)).toHaveLength(1);
    });

    it('deletions in the source become tombstones, and a deleted payment takes its allocations along', async () => {
      source.invoices.push(inv(1), inv(2));
      source.payments.push({ id: h.sourceId('payment', 1), customerId: h.sourceId('customer', 1), date: '2026-01-12', currency: 'USD', amount: '100.10', lines: [{ kind: 'invoice', id: h.sourceId('invoice', 1), amount: '100.10' }], updatedAt: at(300) });
      await sync();
      clock.advanceDays(2);
      deleteFromSource(source, 'invoice', h.sourceId('invoice', 2), clock.now().toISOString());
      deleteFromSource(source, 'payment', h.sourceId('payment', 1), clock.now().toISOString());
      clock.advanceDays(1);
      await sync();
      const rows = await invoices();
      expect(rows.filter((r) => r.deleted_at).map((r) => r.external_id)).toEqual([h.ledgerId('invoice', h.sourceId('invoice', 2))]);
      const [p] = await ds.query('SELECT deleted_at FROM payments WHERE connection_id = $1', [ids.connectionId]);
      expect(p.deleted_at).not.toBeNull();
      const [a] = await ds.query('SELECT count(*)::int AS n FROM allocations WHERE connection_id = $1 AND deleted_at IS NULL', [ids.connectionId]);
      expect(a.n).toBe(0);
    });

    it('a receipt across two invoices and a credit note becomes exact allocations', async () => {
      source.invoices.push(inv(1, { total: '1250.50', balance: '0' }), inv(2, { total: '350.00', balance: '0' }));
      source.creditNotes.push({ id: h.sourceId('credit_note', 1), customerId: h.sourceId('customer', 1), number: 'CN-1', issueDate: '2026-01-09', currency: 'USD', total: '250.20', balance: '0', updatedAt: at(200) });
      source.payments.push({
        id: h.sourceId('payment', 1), customerId: h.sourceId('customer', 1), date: '2026-01-12', currency: 'USD', amount: '1350.30', reference: 'CHK-2231',
        lines: [
          { kind: 'invoice', id: h.sourceId('invoice', 1), amount: '1250.50' },
          { kind: 'invoice', id: h.sourceId('invoice', 2), amount: '350.00' },
          { kind: 'credit_note', id: h.sourceId('credit_note', 1), amount: '250.20' },
        ],
        updatedAt: at(300),
      });
      await sync();
      const allocs = await ds.query(
        `SELECT i.external_id AS invoice, p.external_id AS payment, c.external_id AS credit_note, a.amount_minor, a.currency, a.date::text
           FROM allocations a JOIN invoices i ON i.id = a.invoice_id
           LEFT JOIN payments p ON p.id = a.payment_id LEFT JOIN invoices c ON c.id = a.credit_note_id
          WHERE a.connection_id = $1 ORDER BY i.external_id, a.amount_minor`,
        [ids.connectionId],
      );
      const I1 = h.ledgerId('invoice', h.sourceId('invoice', 1));
      const I2 = h.ledgerId('invoice', h.sourceId('invoice', 2));
      const CN = h.ledgerId('credit_note', h.sourceId('credit_note', 1));
      const P = h.ledgerId('payment', h.sourceId('payment', 1));
      expect(allocs).toEqual(
        [
          { invoice: I1, payment: null, credit_note: CN, amount_minor: '25020', currency: 'USD', date: '2026-01-12' },
          { invoice: I1, payment: P, credit_note: null, amount_minor: '100030', currency: 'USD', date: '2026-01-12' },
          { invoice: I2, payment: P, credit_note: null, amount_minor: '35000', currency: 'USD', date: '2026-01-12' },
        ].sort((a, b) => (a.invoice < b.invoice ? -1 : a.invoice > b.invoice ? 1 : Number(a.amount_minor) - Number(b.amount_minor))),
      );
      const cn = (await invoices()).find((r) => r.external_id === CN)!;
      expect([cn.kind, cn.total_minor, cn.status]).toEqual(['credit_note', '25020', 'paid']);
      const [pay] = await ds.query('SELECT amount_minor, reference FROM payments WHERE connection_id = $1', [ids.connectionId]);
      expect(pay).toEqual({ amount_minor: '135030', reference: 'CHK-2231' });
    });

    it('keeps each record in its own currency with the source rate', async () => {
      source.invoices.push(inv(1, { customerId: h.sourceId('customer', 2), currency: 'EUR', total: '980.10', balance: '980.10', rate: '1.0863' }));
      source.invoices.push(inv(2, { currency: 'JPY', total: '125000', balance: '125000', rate: '0.0068' }));
      await sync();
      expect((await live()).map((r) => [r.currency, r.total_minor, r.currency_rate]).sort()).toEqual([
        ['EUR', '98010', '1.0863'],
        ['JPY', '125000', '0.0068'],
      ]);
    });

    it('refreshes once after a 401 and stores the rotated refresh token before going on', async () => {
      await ds.query('UPDATE connections SET credentials_encrypted = $1 WHERE id = $2', [
        box.sealJson({ ...expiredCredentials(), accessToken: 'at-revoked', accessTokenExpiresAt: '2026-01-15T10:00:00Z' }, ids.connectionId),
        ids.connectionId,
      ]);
      source.invoices.push(inv(1));
      await sync();
      expect(vendor.auth.refreshes).toBe(1);
      expect(await storedCredentials(ds, box, ids.connectionId)).toMatchObject({ refreshToken: 'rt-1', accessToken: 'at-1' });
      expect(await live()).toHaveLength(1);
    });

    it('two pulls of one connection at once spend the rotating refresh token once', async () => {
      source.invoices.push(inv(1));
      const pull = async () => {
        const ctx = await pullContextFor(ds, box, ids, clock);
        const out: SyncBatch[] = [];
        for await (const b of connector.pull(ctx, null)) out.push(b);
        return out;
      };
      const [a, b] = await Promise.all([pull(), pull()]);
      expect(vendor.auth.refreshes).toBe(1);
      expect(a.flatMap((x) => x.invoices ?? []).length).toBe(1);
      expect(b.flatMap((x) => x.invoices ?? []).length).toBe(1);
      expect(await storedCredentials(ds, box, ids.connectionId)).toMatchObject({ refreshToken: 'rt-1' });
    });

    it('a refused refresh token (invalid_grant) is a permanent error asking to reconnect', async () => {
      vendor.auth.revoked = true;
      const err = await sync().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PermanentSyncError);
      expect(err).toBeInstanceOf(ReconnectRequiredError);
      expect(vendor.calls).toEqual([]);
    });

    it('waits out throttling (429 with Retry-After) and goes on', async () => {
      source.invoices.push(inv(1), inv(2));
      vendor.failures.push(h.throttled(30));
      await sync();
      expect(sleeper.waits).toContain(30_000);
      expect(await live()).toHaveLength(2);
    });

    it('skips a malformed record, reports it, and syncs the rest', async () => {
      source.invoices.push(inv(1), inv(2, { malformed: true }), inv(3));
      const { batches } = await sync();
      expect((await live()).map((r) => r.external_id).sort()).toEqual([1, 3].map((n) => h.ledgerId('invoice', h.sourceId('invoice', n))).sort());
      // Per batch, or cumulative in every batch (the runner merges details key by key): either way, once.
      const rejected = batches.flatMap((b) => (b.details?.rejected as Array<{ id: string }> | undefined) ?? []);
      expect([...new Set(rejected.map((r) => r.id))]).toEqual([h.sourceId('invoice', 2)]);
    });

    it('writes the reminder status back to the invoice, once', async () => {
      source.invoices.push(inv(1, { note: 'Call before delivery' }));
      const ctx = await pullContextFor(ds, box, ids, clock);
      const update = { invoiceExternalId: h.ledgerId('invoice', h.sourceId('invoice', 1)), event: 'reminder_sent' as const, message: 'Reminder 1 sent by email on 2026-01-15', idempotencyKey: 'k1', at: clock.now() };
      await connector.pushStatus!(ctx, update);
      await connector.pushStatus!(ctx, update);
      expect(h.invoiceNote(source, h.sourceId('invoice', 1))).toBe('Call before delivery\n[Ledgerbridge] Reminder 1 sent by email on 2026-01-15');
      expect(vendor.calls.filter((c) => c.startsWith('PUT') || c.startsWith('POST'))).toHaveLength(1);
    });
  });
}
