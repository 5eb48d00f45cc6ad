import nock from 'nock';
import { APP_CONFIG } from '../../src/common/config/config.module';
import { SECRET_BOX, type SecretBox } from '../../src/common/crypto/secret-box';
import { HttpStatusError } from '../../src/common/http/http-errors';
import { OAuth2TokenStore } from '../../src/common/http/oauth2-token-store';
import { RateBudgets } from '../../src/common/http/rate-budget';
import type { SyncBatch } from '../../src/connectors/connector';
import { PermanentSyncError } from '../../src/connectors/connector';
import { SageConnector } from '../../src/connectors/sage/sage.connector';
import { LedgerWriter } from '../../src/ledger/ledger-writer';
import { startTestApp, type TestApp } from '../helpers/app';
import { TestClock } from '../helpers/clock';
import { ClockSleeper } from '../support/clock-sleeper';
import { FakeSage, SAGE_API, SAGE_BUSINESS, SAGE_TOKEN_URL } from '../support/fake-sage';
import { emptySource, expiredCredentials, type SourceState } from '../support/fake-source';
import { aSealedConnection, pullContextFor } from '../support/pull-context';

const hex = (p: string, n: number) => `${p}${n.toString(16).padStart(31, '0')}`;

jest.setTimeout(60_000);

describe('Sage Business Cloud Accounting connector', () => {
  let app: TestApp;
  let box: SecretBox;
  let clock: TestClock;
  let connector: SageConnector;
  let budgets: RateBudgets;
  let source: SourceState;
  let sage: FakeSage;
  let ids: { tenantId: string; connectionId: string };

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    clock = new TestClock();
    app = await startTestApp({ env: { SAGE_API_URL: SAGE_API, SAGE_OAUTH_URL: SAGE_TOKEN_URL }, clock });
    box = app.app.get(SECRET_BOX);
  });

  afterAll(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await app.close();
  });

  beforeEach(async () => {
    nock.cleanAll();
    clock.set('2026-01-15T09:00:00Z');
    const sleeper = new ClockSleeper(clock);
    budgets = new RateBudgets(clock, sleeper);
    connector = new SageConnector(app.app.get(APP_CONFIG), app.app.get(OAuth2TokenStore), budgets, sleeper);
    source = emptySource();
    source.customers.push({ id: hex('c', 1), name: 'Bird Supplies Ltd', currency: 'GBP', updatedAt: '2026-01-10T08:00:00Z' });
    sage = new FakeSage(source).install();
    ids = await aSealedConnection(app.ds, box, { provider: 'sage', settings: {}, credentials: expiredCredentials() });
  });

  async function pull(): Promise<SyncBatch[]> {
    const ctx = await pullContextFor(app.ds, box, ids, clock);
    const [row] = await app.ds.query('SELECT cursor FROM connections WHERE id = $1', [ids.connectionId]);
    const out: SyncBatch[] = [];
    for await (const b of connector.pull(ctx, row.cursor)) {
      out.push(b);
      await app.ds.query('UPDATE connections SET cursor = $1 WHERE id = $2', [JSON.stringify(b.cursor), ids.connectionId]);
    }
    return out;
  }

  async function sync(): Promise<void> {
    const ctx = await pullContextFor(app.ds, box, ids, clock);
    const [row] = await app.ds.query('SELECT cursor FROM connections WHERE id = $1', [ids.connectionId]);
    const writer = new LedgerWriter(clock);
    for await (const b of connector.pull(ctx, row.cursor)) {
      await app.ds.transaction(async (em) => {
        await writer.write(em, ids, b);
        await em.query('UPDATE connections SET cursor = $1 WHERE id = $2', [JSON.stringify(b.cursor), ids.connectionId]);
      });
    }
  }

  it('finds the only business, sends it as X-Business, and asks deleted_since from the second run on', async () => {
    source.invoices.push({ id: hex('a', 1), customerId: hex('c', 1), number: 'SI-1', issueDate: '2026-01-05', dueDate: '2026-02-04', currency: 'GBP', total: '10.00', balance: '10.00', updatedAt: '2026-01-10T09:00:00Z' });
    const first = await pull();
    expect(sage.calls).toEqual(['GET businesses', 'GET financial_settings', 'GET contacts', 'GET sales_invoices', 'GET sales_credit_notes', 'GET contact_payments', 'GET contact_allocations']);
    expect(first.at(-1)!.cursor).toEqual({
      v: 1,
      marks: {
        contacts: { since: '2026-01-10T08:00:00Z', next: null },
        sales_invoices: { since: '2026-01-10T09:00:00Z', next: null },
        sales_credit_notes: { since: null, next: null },
        contact_payments: { since: null, next: null },
        contact_allocations: { since: null, next: null },
      },
      deletedSince: '2026-01-15T08:55:00.000Z',
      baseCurrency: 'GBP',
    });
    sage.calls.length = 0;
    clock.advanceDays(1);
    await pull();
    expect(sage.calls).toEqual([
      'GET businesses', 'GET contacts', 'GET sales_invoices', 'GET sales_credit_notes', 'GET contact_payments', 'GET contact_allocations',
      'GET contacts:deleted', 'GET sales_invoices:deleted', 'GET sales_credit_notes:deleted', 'GET contact_payments:deleted', 'GET contact_allocations:deleted',
    ]);
  });

  it('a credit note set against an invoice (contact allocation) becomes an allocation, and goes when it is deleted', async () => {
    const inv = hex('a', 1);
    const cn = hex('b', 1);
    source.invoices.push({ id: inv, customerId: hex('c', 1), number: 'SI-1', issueDate: '2026-01-05', dueDate: '2026-02-04', currency: 'GBP', total: '100.00', balance: '0', updatedAt: '2026-01-10T09:00:00Z' });
    source.creditNotes.push({ id: cn, customerId: hex('c', 1), number: 'SCN-1', issueDate: '2026-01-06', currency: 'GBP', total: '100.00', balance: '0', updatedAt: '2026-01-10T09:01:00Z' });
    const allocation = hex('e', 1);
    sage.allocations.push({
      id: allocation, updated_at: '2026-01-10T09:02:00Z', date: '2026-01-07', transaction_type: { id: 'CUSTOMER_ALLOCATION' },
      contact: { id: hex('c', 1) }, currency: { id: 'GBP' },
      allocated_artefacts: [
        { id: 'x1', artefact: { id: inv, $path: `/sales_invoices/${inv}` }, amount: 100.0 },
        { id: 'x2', artefact: { id: cn, $path: `/sales_credit_notes/${cn}` }, amount: -100.0 },
      ],
    });
    await sync();
    const rows = () =>
      app.ds.query(
        `SELECT a.external_id, i.external_id AS invoice, c.external_id AS credit_note, a.amount_minor, a.date::text, a.deleted_at IS NOT NULL AS deleted
           FROM allocations a JOIN invoices i ON i.id = a.invoice_id JOIN invoices c ON c.id = a.credit_note_id WHERE a.connection_id = $1`,
        [ids.connectionId],
      );
    expect(await rows()).toEqual([{ external_id: `${allocation}:0`, invoice: inv, credit_note: cn, amount_minor: '10000', date: '2026-01-07', deleted: false }]);
    clock.advanceDays(1);
    sage.deletedAllocations.push({ id: allocation, at: clock.now().toISOString() });
    sage.allocations.pop();
    clock.advanceDays(1);
    await sync();
    expect((await rows()).map((r: { deleted: boolean }) => r.deleted)).toEqual([true]);
  });

  it('testing the connection reads the business settings with its token and business, paced at 100 calls a minute', async () => {
    await app.ds.query('UPDATE connections SET settings = $1 WHERE id = $2', [JSON.stringify({ businessId: SAGE_BUSINESS }), ids.connectionId]);
    await connector.testConnection(await pullContextFor(app.ds, box, ids, clock));
    expect(sage.calls).toEqual(['GET financial_settings']);
    expect(budgets.for(ids.connectionId, { perMinute: 1, concurrent: 1 }).limits).toEqual({ perMinute: 100, concurrent: 5 });
  });

  it('uses the configured business without listing businesses', async () => {
    await app.ds.query('UPDATE connections SET settings = $1 WHERE id = $2', [JSON.stringify({ businessId: SAGE_BUSINESS }), ids.connectionId]);
    await pull();
    expect(sage.calls[0]).toBe('GET financial_settings');
  });

  it('with several businesses and none chosen, fails permanently naming them', async () => {
    sage.businesses.push({ id: 'b88ee3a4ebb47c0c515d7ae56dc0bccf', displayed_as: 'Business Two' });
    const err = await pull().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentSyncError);
    expect((err as Error).message).toBe(
      `settings.businessId is required: the user has access to 2 businesses: Volières Martin SARL (${SAGE_BUSINESS}), Business Two (b88ee3a4ebb47c0c515d7ae56dc0bccf)`,
    );
  });

  it('follows $next through pages whose records share one updated_at, and misses none', async () => {
    for (let n = 1; n <= 450; n++) {
      source.invoices.push({ id: hex('a', n), customerId: hex('c', 1), number: `SI-${n}`, issueDate: '2026-01-05', dueDate: '2026-02-04', currency: 'GBP', total: '1.00', balance: '1.00', updatedAt: '2026-01-10T09:00:00Z' });
    }
    const batches = await pull();
    expect(new Set(batches.flatMap((b) => b.invoices ?? []).map((i) => i.externalId)).size).toBe(450);
    expect(sage.calls.filter((c) => c === 'GET sales_invoices')).toHaveLength(3);
  });

  it('a write-back Sage refuses (422, e.g. a locked invoice) is a permanent error with the vendor message', async () => {
    source.invoices.push({ id: hex('a', 1), customerId: hex('c', 1), number: 'SI-1', issueDate: '2026-01-05', dueDate: '2026-02-04', currency: 'GBP', total: '10.00', balance: '0', updatedAt: '2026-01-10T09:00:00Z' });
    await app.ds.query('UPDATE connections SET settings = $1 WHERE id = $2', [JSON.stringify({ businessId: SAGE_BUSINESS }), ids.connectionId]);
    sage.failures.push({ status: 200, body: { id: hex('a', 1), notes: null } }); // the read
    sage.failures.push({ status: 422, body: [{ $severity: 'error', $dataCode: 'RecordInvalid', $message: 'This invoice cannot be edited as it has been paid', $source: 'base' }] });
    const ctx = await pullContextFor(app.ds, box, ids, clock);
    const err = await connector.pushStatus(ctx, { invoiceExternalId: hex('a', 1), event: 'reminder_sent', message: 'Reminder 1 sent', idempotencyKey: 'k', at: clock.now() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpStatusError);
    expect((err as HttpStatusError).status).toBe(422);
    expect((err as Error).message).toBe(`PUT /sales_invoices/${hex('a', 1)} answered 422: This invoice cannot be edited as it has been paid`);
    expect((err as HttpStatusError).body).toEqual([{ $severity: 'error', $dataCode: 'RecordInvalid', $message: 'This invoice cannot be edited as it has been paid', $source: 'base' }]);
  });
});
