import { DataSource } from 'typeorm';
import type { SyncBatch } from '../src/connectors/connector';
import { dataSourceOptions } from '../src/common/database/data-source';
import { AGED_BALANCE_SQL } from '../src/dunning/analytics/aged-balance.query';
import type { LedgerView } from '../src/dunning/analytics/open-items.query';
import { LedgerWriter, type LedgerWriteScope } from '../src/ledger/ledger-writer';
import { TestClock } from './helpers/clock';
import { createTestDatabase, TestDatabase } from './helpers/db';
import { aConnection } from './helpers/factories';
import { allocatedDrift, allocationEndsDrift } from './helpers/allocated-drift';

/**
 * `allocated_minor` is kept by database triggers. After every kind of change the ledger
 * sees (source upserts, late links, tombstones and their cascade, void, rule-made and
 * manual allocations, hard deletes), it must equal a from-scratch recomputation.
 */
describe('allocated amounts kept by the database (real PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let tenantId: string;
  let scope: LedgerWriteScope;
  const writer = new LedgerWriter(new TestClock(new Date('2026-03-01T10:00:00Z')));

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource(dataSourceOptions(db.url, 4));
    await ds.initialize();
    [{ id: tenantId }] = await ds.query(`INSERT INTO tenants (name) VALUES ('Allocated SAS') RETURNING id`);
    scope = { tenantId, connectionId: await aConnection(ds, tenantId) };
  });

  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  const write = (batch: Omit<SyncBatch, 'cursor'>) => ds.transaction((em) => writer.write(em, scope, { cursor: null, ...batch }));

  /** Every document whose stored amount differs from the recomputation (the reports' in-force rule). */
  const drift = async () => [...(await allocatedDrift(ds, tenantId)), ...(await allocationEndsDrift(ds, tenantId))];
  const allocated = async (table: 'invoices' | 'payments', externalId: string): Promise<number> =>
    (await ds.query(`SELECT allocated_minor::int AS n FROM ${table} WHERE tenant_id = $1 AND external_id = $2`, [tenantId, externalId]))[0].n;

  /** An open invoice and a payment of 90.00, and an allocation between two of them. */
  const invoice9000 = (externalId: string) => ({
    externalId, customerExternalId: 'C', kind: 'invoice' as const, number: externalId, issueDate: '2026-01-10', dueDate: '2026-02-09', currency: 'EUR', totalMinor: 9000n, status: 'open' as const,
  });
  const payment9000 = (externalId: string) => ({ externalId, customerExternalId: 'C', date: '2026-02-01', currency: 'EUR', amountMinor: 9000n });
  const allocation = (externalId: string, invoiceExternalId: string, paymentExternalId: string, amountMinor: bigint) =>
    ({ externalId, invoiceExternalId, paymentExternalId, amountMinor, currency: 'EUR', date: '2026-02-01' });

  it('follows upserts, late links, tombstones, void, rule-made, manual and deleted allocations', async () => {
    const invoice = (externalId: string, totalMinor: bigint, over: Partial<NonNullable<SyncBatch['invoices']>[number]> = {}) => ({
      externalId, customerExternalId: 'C', kind: 'invoice' as const, number: externalId, issueDate: '2026-01-10', dueDate: '2026-02-09',
      currency: 'EUR', totalMinor, status: 'open' as const, ...over,
    });
    // An allocation that arrives before its invoice: counted once linked.
    await write({
      customers: [{ externalId: 'C', name: 'Client C', currency: 'EUR' }],
      payments: [{ externalId: 'P1', customerExternalId: 'C', date: '2026-02-01', currency: 'EUR', amountMinor: 15000n }],
      allocations: [{ externalId: 'A1', invoiceExternalId: 'I1', paymentExternalId: 'P1', amountMinor: 10000n, currency: 'EUR', date: '2026-02-01' }],
    });
    expect(await allocated('payments', 'P1')).toBe(0);
    await write({
      invoices: [invoice('I1', 10000n), invoice('I2', 8000n), invoice('CN1', 3000n, { kind: 'credit_note' })],
      allocations: [
        { externalId: 'A2', invoiceExternalId: 'I2', paymentExternalId: 'P1', amountMinor: 5000n, currency: 'EUR', date: '2026-02-01' },
        { externalId: 'A3', invoiceExternalId: 'I2', creditNoteExternalId: 'CN1', amountMinor: 3000n, currency: 'EUR', date: '2026-02-02' },
      ],
    });
    expect([await allocated('invoices', 'I1'), await allocated('invoices', 'I2'), await allocated('invoices', 'CN1'), await allocated('payments', 'P1')])
      .toEqual([10000, 8000, 3000, 15000]);
    expect(await drift()).toEqual([]);

    // The source changes an amount, then deletes a payment: its allocations go with it.
    await write({ allocations: [{ externalId: 'A2', invoiceExternalId: 'I2', paymentExternalId: 'P1', amountMinor: 4000n, currency: 'EUR', date: '2026-02-01' }] });
    expect(await allocated('invoices', 'I2')).toBe(7000);
    await write({ deletions: [{ entity: 'payment', externalId: 'P1' }] });
    expect([await allocated('invoices', 'I1'), await allocated('invoices', 'I2'), await allocated('payments', 'P1')]).toEqual([0, 3000, 0]);
    expect(await drift()).toEqual([]);

    // The payment comes back (tombstone cleared) with its allocations re-sent.
    await write({
      payments: [{ externalId: 'P1', customerExternalId: 'C', date: '2026-02-01', currency: 'EUR', amountMinor: 15000n }],
      allocations: [{ externalId: 'A1', invoiceExternalId: 'I1', paymentExternalId: 'P1', amountMinor: 10000n, currency: 'EUR', date: '2026-02-01' }],
    });
    expect([await allocated('invoices', 'I1'), await allocated('payments', 'P1')]).toEqual([10000, 10000]);
    expect(await drift()).toEqual([]);

    // Voiding the credit note takes it out of I2; un-voiding puts it back.
    await write({ invoices: [invoice('CN1', 3000n, { kind: 'credit_note', status: 'void' })] });
    expect([await allocated('invoices', 'I2'), await allocated('invoices', 'CN1')]).toEqual([0, 0]);
    await write({ invoices: [invoice('CN1', 3000n, { kind: 'credit_note' })] });
    expect([await allocated('invoices', 'I2'), await allocated('invoices', 'CN1')]).toEqual([3000, 3000]);

    // A rule-made allocation (no connection), then a hard delete of it.
    const [{ i2, p1 }] = await ds.query(
      `SELECT (SELECT id FROM invoices WHERE tenant_id = $1 AND external_id = 'I2') AS i2, (SELECT id FROM payments WHERE tenant_id = $1 AND external_id = 'P1') AS p1`,
      [tenantId],
    );
    const [{ id: manual }] = await ds.query(
      `INSERT INTO allocations (tenant_id, invoice_id, payment_id, amount_minor, currency, date, method, confidence)
       VALUES ($1, $2, $3, 5000, 'EUR', '2026-02-03', 'manual', 100) RETURNING id`,
      [tenantId, i2, p1],
    );
    expect([await allocated('invoices', 'I2'), await allocated('payments', 'P1')]).toEqual([8000, 15000]);
    await ds.query(`DELETE FROM allocations WHERE id = $1`, [manual]);
    expect([await allocated('invoices', 'I2'), await allocated('payments', 'P1')]).toEqual([3000, 10000]);
    expect(await drift()).toEqual([]);
  });

  it('writes a page of new documents with their allocations once: the trigger finds their amounts already right', async () => {
    const invoice = (externalId: string, totalMinor: bigint, kind: 'invoice' | 'credit_note' = 'invoice') => ({
      externalId, customerExternalId: 'C', kind, number: externalId, issueDate: '2026-01-10', dueDate: '2026-02-09', currency: 'EUR', totalMinor, status: 'open' as const,
    });
    // Within the transaction, `cmin` is the command that wrote a row version: a document rewritten
    // by the trigger would carry a later one than the allocations.
    const commands = await ds.transaction(async (em) => {
      await writer.write(em, scope, {
        cursor: null,
        invoices: [invoice('H-I1', 10000n), invoice('H-I2', 8000n), invoice('H-CN', 2000n, 'credit_note')],
        payments: [{ externalId: 'H-P1', customerExternalId: 'C', date: '2026-02-01', currency: 'EUR', amountMinor: 15000n }],
        allocations: [
          { externalId: 'H-A1', invoiceExternalId: 'H-I1', paymentExternalId: 'H-P1', amountMinor: 10000n, currency: 'EUR', date: '2026-02-01' },
          { externalId: 'H-A2', invoiceExternalId: 'H-I2', paymentExternalId: 'H-P1', amountMinor: 5000n, currency: 'EUR', date: '2026-02-01' },
          { externalId: 'H-A3', invoiceExternalId: 'H-I2', creditNoteExternalId: 'H-CN', amountMinor: 2000n, currency: 'EUR', date: '2026-02-01' },
        ],
      });
      return em.query(
        `SELECT external_id, cmin::text::int AS cmin FROM invoices WHERE tenant_id = $1 AND external_id LIKE 'H-%'
         UNION ALL SELECT external_id, cmin::text::int FROM payments WHERE tenant_id = $1 AND external_id LIKE 'H-%'
         UNION ALL SELECT external_id, cmin::text::int FROM allocations WHERE tenant_id = $1 AND external_id LIKE 'H-%'`,
        [tenantId],
      );
    });
    const firstAllocation = Math.min(...commands.filter((r: { external_id: string }) => r.external_id.startsWith('H-A')).map((r: { cmin: number }) => r.cmin));
    expect(commands.filter((r: { external_id: string; cmin: number }) => !r.external_id.startsWith('H-A') && r.cmin >= firstAllocation)).toEqual([]);
    expect(commands).toHaveLength(7);
    expect([await allocated('invoices', 'H-I1'), await allocated('invoices', 'H-I2'), await allocated('invoices', 'H-CN'), await allocated('payments', 'H-P1')])
      .toEqual([10000, 7000, 2000, 15000]);
    expect(await drift()).toEqual([]);
  });

  it('corrects a head start the rest of the batch or the ledger contradicts', async () => {
    // Already in the ledger, waiting for its invoice and payment: sent again unchanged (not rewritten), then linked.
    await write({ allocations: [allocation('K-A1', 'K-I1', 'K-P1', 4000n)] });
    // Another allocation of the same payment, already in the ledger with its invoice: the batch does not see it.
    await write({ invoices: [invoice9000('K-I0')], allocations: [allocation('K-A0', 'K-I0', 'K-P1', 1500n)] });
    await write({
      invoices: [invoice9000('K-I1'), invoice9000('K-I2')],
      payments: [payment9000('K-P1'), payment9000('K-P2')],
      allocations: [allocation('K-A1', 'K-I1', 'K-P1', 4000n), allocation('K-A2', 'K-I2', 'K-P2', 3000n)],
      // Deleted in the same batch: its documents end with nothing allocated.
      deletions: [{ entity: 'allocation', externalId: 'K-A2' }],
    });
    expect([await allocated('invoices', 'K-I1'), await allocated('payments', 'K-P1'), await allocated('invoices', 'K-I0')]).toEqual([4000, 5500, 1500]);
    expect([await allocated('invoices', 'K-I2'), await allocated('payments', 'K-P2')]).toEqual([0, 0]);
    expect(await drift()).toEqual([]);
  });

  it('refreshes every document of the allocations a batch writes, except new allocations between two documents it inserted', async () => {
    await write({ invoices: [invoice9000('M-I0'), invoice9000('M-I3')], payments: [payment9000('M-P3')], allocations: [allocation('M-A3', 'M-I3', 'M-P3', 2000n)] });
    await write({
      invoices: [invoice9000('M-I1'), invoice9000('M-I4'), invoice9000('M-I5')],
      // M-P3 again, unchanged: in the batch, but not new.
      payments: [payment9000('M-P1'), payment9000('M-P3')],
      allocations: [
        // New, both ends new: the head start is the whole truth.
        allocation('M-A1', 'M-I1', 'M-P1', 3000n),
        // New, the invoice from an earlier batch: the new payment's head start lacks it.
        allocation('M-A2', 'M-I0', 'M-P1', 1000n),
        // Moved from M-I3 to a new invoice: M-I3 loses it.
        allocation('M-A3', 'M-I4', 'M-P3', 2000n),
        // New, to a payment the batch did not insert.
        allocation('M-A5', 'M-I5', 'M-P3', 500n),
      ],
    });
    const amounts = async (table: 'invoices' | 'payments', ids: string[]) => Promise.all(ids.map((id) => allocated(table, id)));
    expect(await amounts('invoices', ['M-I0', 'M-I1', 'M-I3', 'M-I4', 'M-I5'])).toEqual([1000, 3000, 0, 2000, 500]);
    expect(await amounts('payments', ['M-P1', 'M-P3'])).toEqual([4000, 2500]);
    expect(await drift()).toEqual([]);
  });

  it('keeps an invoice and a payment that share an id apart, in the triggers and in every ledger view', async () => {
    const [{ id: customerId }] = await ds.query(
      `INSERT INTO customers (tenant_id, connection_id, external_id, content_hash, name, currency) VALUES ($1, $2, 'TWIN', 'x', 'Twin SA', 'EUR') RETURNING id`,
      [tenantId, scope.connectionId],
    );
    const [{ id }] = await ds.query(
      `INSERT INTO invoices (tenant_id, connection_id, external_id, content_hash, customer_id, customer_external_id, kind, number, issue_date, due_date, currency, total_minor, status)
       VALUES ($1, $2, 'TWIN-I', 'x', $3, 'TWIN', 'invoice', 'T-1', '2026-01-10', '2026-01-20', 'EUR', 10000, 'open') RETURNING id`,
      [tenantId, scope.connectionId, customerId],
    );
    await ds.query(
      `INSERT INTO payments (id, tenant_id, connection_id, external_id, content_hash, customer_id, customer_external_id, kind, date, currency, amount_minor)
       VALUES ($4, $1, $2, 'TWIN-P', 'x', $3, 'TWIN', 'payment', '2026-02-01', 'EUR', 10000)`,
      [tenantId, scope.connectionId, customerId, id],
    );
    await ds.query(
      `INSERT INTO allocations (tenant_id, invoice_id, payment_id, amount_minor, currency, date, method, confidence) VALUES ($1, $2, $2, 6000, 'EUR', '2026-02-01', 'manual', 100)`,
      [tenantId, id],
    );
    expect([await allocated('invoices', 'TWIN-I'), await allocated('payments', 'TWIN-P')]).toEqual([6000, 6000]);
    expect(await drift()).toEqual([]);
    const aged = async (view: LedgerView, asOf: string) =>
      (await ds.query(AGED_BALANCE_SQL[view], [tenantId, asOf, [1, 31, 61, 91], null])).filter((r: { customer_ref: string }) => r.customer_ref === 'TWIN');
    // Before the payment: the invoice, 10 days late. After: 40.00 still open on it and 40.00 of the
    // payment unallocated (a balance of 0 in two buckets), not the 120.00 a confusion of the ids would give.
    expect((await aged('historical', '2026-01-31')).map((r: { amount: string }) => r.amount)).toEqual(['10000']);
    expect((await aged('recent', '2026-01-31'))).toEqual(await aged('historical', '2026-01-31'));
    expect((await aged('historical', '2026-03-01')).map((r: { amount: string }) => r.amount).sort()).toEqual(['-4000', '4000']);
    for (const view of ['current', 'recent'] as const) expect(await aged(view, '2026-03-01')).toEqual(await aged('historical', '2026-03-01'));
  });
});
