import nock from 'nock';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { APP_CONFIG } from '../../src/common/config/config.module';
import { SECRET_BOX, type SecretBox } from '../../src/common/crypto/secret-box';
import { OAuth2TokenStore } from '../../src/common/http/oauth2-token-store';
import { RateBudgets } from '../../src/common/http/rate-budget';
import type { LedgerEntity, PullContext, SyncBatch } from '../../src/connectors/connector';
import { PermanentSyncError } from '../../src/connectors/connector';
import { QboStaleObjectError, QboValidationFault } from '../../src/connectors/quickbooks/qbo-fault';
import { QboConnector } from '../../src/connectors/quickbooks/qbo.connector';
import { LedgerWriter } from '../../src/ledger/ledger-writer';
import { startTestApp, type TestApp } from '../helpers/app';
import { TestClock } from '../helpers/clock';
import { ClockSleeper } from '../support/clock-sleeper';
import { FakeQbo, QBO_API, QBO_REALM, QBO_TOKEN_URL } from '../support/fake-qbo';
import { emptySource, expiredCredentials, type SourceState } from '../support/fake-source';
import { aSealedConnection, pullContextFor } from '../support/pull-context';

const SANDBOX = 'https://sandbox-qbo.test';
const fault200 = JSON.parse(readFileSync(path.join(__dirname, '../fixtures/quickbooks/fault-query-200.json'), 'utf8'));

jest.setTimeout(60_000);

describe('QuickBooks Online connector', () => {
  let app: TestApp;
  let box: SecretBox;
  let clock: TestClock;
  let sleeper: ClockSleeper;
  let connector: QboConnector;
  let budgets: RateBudgets;
  let source: SourceState;
  let qbo: FakeQbo;
  let ids: { tenantId: string; connectionId: string };

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    clock = new TestClock();
    app = await startTestApp({ env: { QBO_API_URL: QBO_API, QBO_SANDBOX_API_URL: SANDBOX, QBO_OAUTH_URL: QBO_TOKEN_URL }, clock });
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
    sleeper = new ClockSleeper(clock);
    budgets = new RateBudgets(clock, sleeper);
    connector = new QboConnector(app.app.get(APP_CONFIG), app.app.get(OAuth2TokenStore), budgets, sleeper);
    source = emptySource();
    source.customers.push({ id: '1', name: 'Amy Bird Sanctuary', currency: 'USD', updatedAt: '2026-01-10T08:00:00Z' });
    for (let n = 1; n <= 3; n++) {
      source.invoices.push({ id: String(100 + n), customerId: '1', number: `10${n}`, issueDate: '2026-01-05', dueDate: '2026-02-04', currency: 'USD', total: '50.00', balance: '50.00', updatedAt: `2026-01-10T08:0${n}:00Z` });
    }
    qbo = new FakeQbo(source, () => clock.now()).install();
    ids = await aSealedConnection(app.ds, box, { provider: 'quickbooks', settings: { realmId: QBO_REALM }, credentials: expiredCredentials() });
  });

  /** A context offering the runner's optional `knownExternalIds` (live ledger ids). */
  async function context(): Promise<PullContext> {
    const ctx = await pullContextFor(app.ds, box, ids, clock);
    const table: Record<LedgerEntity, string> = { customer: 'customers', invoice: 'invoices', payment: 'payments', allocation: 'allocations' };
    return Object.assign(ctx, {
      knownExternalIds: async (entity: LedgerEntity) =>
        (await app.ds.query(`SELECT external_id FROM ${table[entity]} WHERE tenant_id = $1 AND connection_id = $2 AND deleted_at IS NULL`, [ids.tenantId, ids.connectionId])).map(
          (r: { external_id: string }) => r.external_id,
        ),
    });
  }

  async function sync(): Promise<SyncBatch[]> {
    const ctx = await context();
    const [row] = await app.ds.query('SELECT cursor FROM connections WHERE id = $1', [ids.connectionId]);
    const writer = new LedgerWriter(clock);
    const batches: SyncBatch[] = [];
    for await (const batch of connector.pull(ctx, row.cursor)) {
      batches.push(batch);
      await app.ds.transaction(async (em) => {
        await writer.write(em, ids, batch);
        await em.query('UPDATE connections SET cursor = $1 WHERE id = $2', [JSON.stringify(batch.cursor), ids.connectionId]);
      });
    }
    return batches;
  }

  const liveInvoices = async () =>
    (await app.ds.query('SELECT external_id FROM invoices WHERE connection_id = $1 AND deleted_at IS NULL ORDER BY external_id', [ids.connectionId])).map((r: { external_id: string }) => r.external_id);

  it('first sync: home currency once, every entity walked from the start, no CDC; the next run asks CDC since the first', async () => {
    const batches = await sync();
    expect(qbo.calls).toEqual(['GET preferences', 'GET query:Customer', 'GET query:Invoice', 'GET query:CreditMemo', 'GET query:Payment']);
    expect(qbo.statements[1]).toBe('SELECT * FROM Invoice ORDERBY Metadata.LastUpdatedTime STARTPOSITION 1 MAXRESULTS 1000');
    expect(batches[batches.length - 1].cursor).toEqual({
      v: 1,
      marks: {
        Customer: { since: '2026-01-10T08:00:00Z', position: 1 },
        Invoice: { since: '2026-01-10T08:03:00Z', position: 1 },
        CreditMemo: { since: null, position: 1 },
        Payment: { since: null, position: 1 },
      },
      cdcSince: '2026-01-15T08:55:00.000Z',
      homeCurrency: 'USD',
    });
    expect(batches[batches.length - 1].details).toMatchObject({ apiCalls: 5, reconciled: true });

    clock.advanceDays(1);
    qbo.calls.length = 0;
    await sync();
    expect(qbo.calls).toEqual(['GET query:Customer', 'GET query:Invoice', 'GET query:CreditMemo', 'GET query:Payment', 'GET cdc']);
    expect(qbo.statements.at(-3)).toBe("SELECT * FROM Invoice WHERE Metadata.LastUpdatedTime >= '2026-01-10T08:03:00Z' ORDERBY Metadata.LastUpdatedTime STARTPOSITION 1 MAXRESULTS 1000");
  });

  it('past the 30-day CDC window, a full reconciliation pass tombstones what the company no longer has', async () => {
    await sync();
    expect(await liveInvoices()).toEqual(['101', '102', '103']);
    // Deleted 35 days ago, beyond what CDC can still report.
    source.invoices.splice(1, 1);
    clock.advanceDays(40);
    qbo.calls.length = 0;
    const batches = await sync();
    expect(qbo.calls).not.toContain('GET cdc');
    expect(qbo.statements.at(-3)).toBe('SELECT * FROM Invoice ORDERBY Metadata.LastUpdatedTime STARTPOSITION 1 MAXRESULTS 1000');
    expect(batches.at(-1)!.deletions).toEqual([{ entity: 'invoice', externalId: '102' }]);
    expect(await liveInvoices()).toEqual(['101', '103']);
  });

  it('CDC at its 1,000-object cap: the deletions it listed are applied and a full pass is scheduled', async () => {
    await sync();
    clock.advanceDays(1);
    for (let n = 0; n < 1000; n++) source.deleted.push({ kind: 'invoice', id: String(5000 + n), at: clock.now().toISOString() });
    source.deleted.push({ kind: 'invoice', id: '101', at: clock.now().toISOString() });
    source.invoices.shift();
    clock.advanceDays(1);
    const batches = await sync();
    expect(batches.at(-1)!.cursor).toMatchObject({ cdcSince: null });
    expect(batches.at(-1)!.details!.warnings).toEqual(['CDC listed Invoice at its 1,000-object cap; a full reconciliation pass follows']);
    expect(await liveInvoices()).toEqual(['102', '103']);
  });

  it('a change committed with a time before the cursor is still caught, through CDC', async () => {
    await sync();
    clock.advanceDays(1);
    // Paid now, but the walk's cursor is already past that time (a late commit, clock skew).
    Object.assign(source.invoices[0], { balance: '0', updatedAt: clock.now().toISOString() });
    await app.ds.query(`UPDATE connections SET cursor = jsonb_set(cursor, '{marks,Invoice,since}', $1) WHERE id = $2`, [JSON.stringify('2026-01-17T00:00:00Z'), ids.connectionId]);
    const batches = await sync();
    expect(qbo.statements.filter((q) => q.includes('FROM Invoice')).at(-1)).toContain(">= '2026-01-17T00:00:00Z'");
    expect(batches.at(-1)!.invoices!.map((i) => [i.externalId, i.status])).toEqual([['101', 'paid']]);
    const [row] = await app.ds.query(`SELECT status FROM invoices WHERE connection_id = $1 AND external_id = '101'`, [ids.connectionId]);
    expect(row.status).toBe('paid');
  });

  it('a voided payment leaves the ledger with its allocations: the invoice is due again', async () => {
    source.payments.push({ id: '9001', customerId: '1', date: '2026-01-12', currency: 'USD', amount: '50.00', lines: [{ kind: 'invoice', id: '101', amount: '50.00' }], updatedAt: '2026-01-12T10:00:00Z' });
    source.invoices[0].balance = '0';
    await sync();
    const state = () =>
      app.ds.query(
        `SELECT (SELECT deleted_at IS NOT NULL FROM payments WHERE connection_id = $1 AND external_id = '9001') AS payment_gone,
                (SELECT count(*)::int FROM allocations WHERE connection_id = $1 AND deleted_at IS NULL) AS live_allocations`,
        [ids.connectionId],
      );
    expect(await state()).toEqual([{ payment_gone: false, live_allocations: 1 }]);
    clock.advanceDays(1);
    Object.assign(source.payments[0], { voided: true, updatedAt: clock.now().toISOString() });
    source.invoices[0].balance = '50.00';
    await sync();
    expect(await state()).toEqual([{ payment_gone: true, live_allocations: 0 }]);
  });

  it('every batch carries the malformed records so far, so the run details keep them', async () => {
    source.invoices[1].malformed = true;
    const batches = await sync();
    const expected = { rejected: [{ entity: 'Invoice', id: '102', reason: 'Invoice 102: TotalAmt: invalid amount "twelve": not a number' }], rejectedCount: 1 };
    expect(batches.at(-1)!.details).toMatchObject(expected);
    expect(batches.filter((b) => b.details?.rejectedCount === 1)).toHaveLength(batches.length - 1);
  });

  it('a Fault answered with HTTP 200 fails the pull with a typed error instead of reading as an empty page', async () => {
    await sync();
    qbo.failures.push({ status: 200, body: fault200 });
    const err = await sync().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QboValidationFault);
    expect(err).toBeInstanceOf(PermanentSyncError);
    expect((err as Error).message).toBe('QuickBooks ValidationFault 4000: Error parsing query (QueryParserError: Encountered " <INTEGER> "1 "" at line 1, column 40.)');
  });

  it('write-back: a stale SyncToken re-reads the invoice and retries once', async () => {
    const update = { invoiceExternalId: '101', event: 'reminder_sent' as const, message: 'Reminder 1 sent by email on 2026-01-15', idempotencyKey: 'k', at: clock.now() };
    qbo.staleUpdates = 1;
    await connector.pushStatus(await context(), update);
    expect(qbo.calls.filter((c) => c !== 'GET preferences')).toEqual(['GET invoice/101', 'POST invoice', 'GET invoice/101', 'POST invoice']);
    expect(source.invoices[0].note).toBe('[Ledgerbridge] Reminder 1 sent by email on 2026-01-15');
    expect(source.invoices[0].syncToken).toBe(2);

    qbo.staleUpdates = 2;
    const err = await connector.pushStatus(await context(), { ...update, message: 'Reminder 2 sent' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QboStaleObjectError);
  });

  it('write-back into a configured custom field instead of PrivateNote', async () => {
    await app.ds.query(`UPDATE connections SET settings = $1 WHERE id = $2`, [JSON.stringify({ realmId: QBO_REALM, writeBackCustomFieldId: '1' }), ids.connectionId]);
    let sent: Record<string, unknown> | undefined;
    qbo.onUpdate = (body) => (sent = body);
    await connector.pushStatus(await context(), { invoiceExternalId: '101', event: 'promise', message: 'Promise to pay 2026-01-31', idempotencyKey: 'k', at: clock.now() });
    expect(sent).toEqual({ Id: '101', SyncToken: '0', sparse: true, CustomField: [{ DefinitionId: '1', Type: 'StringType', StringValue: 'Promise to pay 2026-01-31' }] });
  });

  it('paces calls within the documented throttle: 500 a minute, 10 at once, per company', async () => {
    await connector.testConnection(await context());
    expect(budgets.for(ids.connectionId, { perMinute: 1, concurrent: 1 }).limits).toEqual({ perMinute: 500, concurrent: 10 });
    expect(budgets.for(ids.connectionId, { perMinute: 1, concurrent: 1 }).startedInLastMinute()).toBe(1);
  });

  it('sandbox companies are reached on QBO_SANDBOX_API_URL', async () => {
    nock.cleanAll();
    const sandbox = new FakeQbo(source, () => clock.now(), SANDBOX).install();
    await app.ds.query(`UPDATE connections SET settings = $1 WHERE id = $2`, [JSON.stringify({ realmId: QBO_REALM, environment: 'sandbox' }), ids.connectionId]);
    await connector.testConnection(await context());
    expect(sandbox.calls).toEqual([`GET companyinfo/${QBO_REALM}`]);
  });
});
