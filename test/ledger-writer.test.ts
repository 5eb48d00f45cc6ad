import { DataSource } from 'typeorm';
import type { NormalizedAllocation, NormalizedCustomer, NormalizedInvoice, NormalizedPayment, SyncBatch } from '../src/connectors/connector';
import { PermanentSyncError } from '../src/connectors/connector';
import { dataSourceOptions } from '../src/common/database/data-source';
import { LedgerWriter, WRITER_STATISTICS_TARGET, type LedgerWriteScope } from '../src/ledger/ledger-writer';
import { TestClock } from './helpers/clock';
import { createTestDatabase, TestDatabase } from './helpers/db';
import { aConnection } from './helpers/factories';

const cust = (externalId: string, over: Partial<NormalizedCustomer> = {}): NormalizedCustomer => ({ externalId, name: `Customer ${externalId}`, currency: 'EUR', ...over });
const inv = (externalId: string, customerExternalId: string, over: Partial<NormalizedInvoice> = {}): NormalizedInvoice => ({
  externalId,
  customerExternalId,
  kind: 'invoice',
  number: `N-${externalId}`,
  issueDate: '2026-01-10',
  dueDate: '2026-02-09',
  currency: 'EUR',
  totalMinor: 10000n,
  status: 'open',
  ...over,
});
const pay = (externalId: string, customerExternalId: string, over: Partial<NormalizedPayment> = {}): NormalizedPayment => ({
  externalId,
  customerExternalId,
  date: '2026-02-01',
  currency: 'EUR',
  amountMinor: 10000n,
  ...over,
});
const alloc = (externalId: string, invoiceExternalId: string, over: Partial<NormalizedAllocation> = {}): NormalizedAllocation => ({
  externalId,
  invoiceExternalId,
  amountMinor: 10000n,
  currency: 'EUR',
  date: '2026-02-01',
  ...over,
});
const zero = { created: 0, updated: 0, unchanged: 0, deleted: 0 };

describe('LedgerWriter (real PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let tenantId: string;
  let scope: LedgerWriteScope;
  const clock = new TestClock(new Date('2026-03-01T10:00:00Z'));
  const writer = new LedgerWriter(clock);

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource(dataSourceOptions(db.url, 4));
    await ds.initialize();
    [{ id: tenantId }] = await ds.query(`INSERT INTO tenants (name) VALUES ('Writer SAS') RETURNING id`);
  });

  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  beforeEach(async () => {
    scope = { tenantId, connectionId: await aConnection(ds, tenantId) };
  });

  const write = (batch: Omit<SyncBatch, 'cursor'>, s: LedgerWriteScope = scope) =>
    ds.transaction((em) => writer.write(em, s, { cursor: null, ...batch }));

  const invoice = async (externalId: string) =>
    (
      await ds.query(
        `SELECT i.status, to_char(i.due_date, 'YYYY-MM-DD') AS due_date, i.due_date_derived, i.total_minor, i.customer_id, c.external_id AS customer,
                i.deleted_at, i.total_minor - COALESCE((SELECT sum(a.amount_minor) FROM allocations a
                  WHERE a.deleted_at IS NULL AND CASE WHEN i.kind = 'invoice' THEN a.invoice_id = i.id ELSE a.credit_note_id = i.id END), 0) AS outstanding
           FROM invoices i LEFT JOIN customers c ON c.id = i.customer_id
          WHERE i.tenant_id = $1 AND i.connection_id = $2 AND i.external_id = $3`,
        [scope.tenantId, scope.connectionId, externalId],
      )
    )[0];

  it('creates, then skips unchanged rows and updates changed ones, with exact counts', async () => {
    const batch = {
      customers: [cust('C1'), cust('C2')],
      invoices: [inv('I1', 'C1'), inv('I2', 'C2', { totalMinor: 25050n })],
      payments: [pay('P1', 'C1', { amountMinor: 4000n })],
      allocations: [alloc('A1', 'I1', { paymentExternalId: 'P1', amountMinor: 4000n })],
    };
    expect(await write(batch)).toEqual({
      customers: { ...zero, created: 2 },
      invoices: { ...zero, created: 2 },
      payments: { ...zero, created: 1 },
      allocations: { ...zero, created: 1 },
    });
    expect(await write(batch)).toEqual({
      customers: { ...zero, unchanged: 2 },
      invoices: { ...zero, unchanged: 2 },
      payments: { ...zero, unchanged: 1 },
      allocations: { ...zero, unchanged: 1 },
    });
    const changed = { ...batch, invoices: [inv('I1', 'C1'), inv('I2', 'C2', { totalMinor: 25051n })], customers: [cust('C1', { name: 'Renamed' }), cust('C2')] };
    expect(await write(changed)).toEqual({
      customers: { ...zero, updated: 1, unchanged: 1 },
      invoices: { ...zero, updated: 1, unchanged: 1 },
      payments: { ...zero, unchanged: 1 },
      allocations: { ...zero, unchanged: 1 },
    });
    expect((await invoice('I2')).total_minor).toBe('25051');
    expect((await invoice('I1')).outstanding).toBe('6000');
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM invoices WHERE connection_id = $1`, [scope.connectionId]);
    expect(n).toBe(2);
  });

  it('keeps bigint amounts exact beyond 2^53', async () => {
    const huge = 9007199254740993n; // 2^53 + 1
    await write({ customers: [cust('C1', { creditLimitMinor: 9223372036854775807n })], invoices: [inv('I1', 'C1', { totalMinor: huge })] });
    expect((await invoice('I1')).total_minor).toBe('9007199254740993');
    const [{ credit_limit_minor }] = await ds.query(`SELECT credit_limit_minor FROM customers WHERE connection_id = $1`, [scope.connectionId]);
    expect(credit_limit_minor).toBe('9223372036854775807');
  });

  it('tombstones deletions; a deleted payment tombstones its allocations and re-opens the invoice; a re-sent row is revived', async () => {
    await write({
      customers: [cust('C1')],
      invoices: [inv('I1', 'C1', { totalMinor: 12000n }), inv('I2', 'C1')],
      payments: [pay('P1', 'C1', { amountMinor: 12000n })],
      allocations: [alloc('A1', 'I1', { paymentExternalId: 'P1', amountMinor: 12000n })],
    });
    expect((await invoice('I1')).outstanding).toBe('0');
    const counts = await write({ deletions: [{ entity: 'payment', externalId: 'P1' }, { entity: 'invoice', externalId: 'I2' }] });
    expect(counts).toEqual({
      customers: zero,
      invoices: { ...zero, deleted: 1 },
      payments: { ...zero, deleted: 1 },
      allocations: { ...zero, deleted: 1 },
    });
    expect((await invoice('I1')).outstanding).toBe('12000');
    const i2 = await invoice('I2');
    expect(i2.status).toBe('deleted');
    expect(i2.deleted_at).toEqual(new Date('2026-03-01T10:00:00Z'));
    // Deleting again changes nothing.
    expect((await write({ deletions: [{ entity: 'payment', externalId: 'P1' }] })).payments).toEqual(zero);
    // Re-sent unchanged: the tombstone is cleared (counted as updated).
    expect(
      await write({ invoices: [inv('I2', 'C1')], payments: [pay('P1', 'C1', { amountMinor: 12000n })], allocations: [alloc('A1', 'I1', { paymentExternalId: 'P1', amountMinor: 12000n })] }),
    ).toEqual({
      customers: zero,
      invoices: { ...zero, updated: 1 },
      payments: { ...zero, updated: 1 },
      allocations: { ...zero, updated: 1 },
    });
    expect(await invoice('I2')).toMatchObject({ status: 'open', deleted_at: null });
    expect((await invoice('I1')).outstanding).toBe('0');
  });

  it('keeps a payment and its allocation that arrive before the invoice and links them when it arrives', async () => {
    await write({ payments: [pay('P1', 'C1', { amountMinor: 3000n })], allocations: [alloc('A1', 'I1', { paymentExternalId: 'P1', amountMinor: 3000n })] });
    const [before] = await ds.query(`SELECT invoice_id, payment_id IS NOT NULL AS has_payment FROM allocations WHERE connection_id = $1`, [scope.connectionId]);
    expect(before).toEqual({ invoice_id: null, has_payment: true });
    const [p] = await ds.query(`SELECT customer_id FROM payments WHERE connection_id = $1`, [scope.connectionId]);
    expect(p.customer_id).toBeNull();
    await write({ customers: [cust('C1')] });
    const [p2] = await ds.query(`SELECT c.external_id FROM payments p JOIN customers c ON c.id = p.customer_id WHERE p.connection_id = $1`, [scope.connectionId]);
    expect(p2.external_id).toBe('C1');
    await write({ invoices: [inv('I1', 'C1', { totalMinor: 10000n })] });
    expect(await invoice('I1')).toMatchObject({ outstanding: '7000', customer: 'C1' });
  });

  it('resolves allocations to invoices, payments and credit notes, in either order', async () => {
    await write({
      customers: [cust('C1')],
      invoices: [inv('I1', 'C1', { totalMinor: 50000n }), inv('CN1', 'C1', { kind: 'credit_note', totalMinor: 8000n })],
      payments: [pay('P1', 'C1', { amountMinor: 20000n })],
      allocations: [
        alloc('A1', 'I1', { paymentExternalId: 'P1', amountMinor: 20000n }),
        alloc('A2', 'I1', { creditNoteExternalId: 'CN1', amountMinor: 8000n }),
        // The credit note for this one arrives in a later batch.
        alloc('A3', 'I1', { creditNoteExternalId: 'CN2', amountMinor: 1500n }),
      ],
    });
    // A3 counts against the invoice already; its credit note is linked when it arrives.
    expect((await invoice('I1')).outstanding).toBe('20500');
    expect((await invoice('CN1')).outstanding).toBe('0');
    await write({ invoices: [inv('CN2', 'C1', { kind: 'credit_note', totalMinor: 1500n })] });
    expect((await invoice('CN2')).outstanding).toBe('0');
    const rows = await ds.query(
      `SELECT a.external_id, i.external_id AS inv, p.external_id AS pay, cn.external_id AS cn FROM allocations a
         LEFT JOIN invoices i ON i.id = a.invoice_id LEFT JOIN payments p ON p.id = a.payment_id LEFT JOIN invoices cn ON cn.id = a.credit_note_id
        WHERE a.connection_id = $1 ORDER BY a.external_id`,
      [scope.connectionId],
    );
    expect(rows).toEqual([
      { external_id: 'A1', inv: 'I1', pay: 'P1', cn: null },
      { external_id: 'A2', inv: 'I1', pay: null, cn: 'CN1' },
      { external_id: 'A3', inv: 'I1', pay: null, cn: 'CN2' },
    ]);
  });

  it('derives missing due dates from customer terms, else default terms, else the issue date, and re-derives when terms arrive', async () => {
    const s = { ...scope, defaultTerms: { days: 45, endOfMonth: true } };
    await write(
      {
        customers: [cust('C30', { termsDays: 30 }), cust('CEOM', { termsDays: 30, termsEndOfMonth: true }), cust('CNONE')],
        invoices: [
          inv('I1', 'C30', { issueDate: '2026-01-10', dueDate: null }),
          inv('I2', 'CEOM', { issueDate: '2026-01-10', dueDate: null }),
          inv('I3', 'CNONE', { issueDate: '2026-01-10', dueDate: null }),
          inv('I4', 'C30', { issueDate: '2026-01-10', dueDate: '2026-01-20' }),
          inv('I5', 'CLATE', { issueDate: '2026-01-31', dueDate: null }),
        ],
      },
      s,
    );
    expect((await invoice('I1')).due_date).toBe('2026-02-09');
    expect((await invoice('I2')).due_date).toBe('2026-02-28');
    // 2026-01-10 + 45 days = 2026-02-24, end of month.
    expect((await invoice('I3')).due_date).toBe('2026-02-28');
    expect(await invoice('I4')).toMatchObject({ due_date: '2026-01-20', due_date_derived: false });
    expect(await invoice('I5')).toMatchObject({ due_date: '2026-03-31', due_date_derived: true, customer_id: null });
    // The customer arrives with its own terms: the invoice is linked and its due date re-derived.
    await write({ customers: [cust('CLATE', { termsDays: 10 })] }, s);
    expect(await invoice('I5')).toMatchObject({ due_date: '2026-02-10', customer: 'CLATE' });
    // Terms change: derived due dates follow, source ones do not.
    await write({ customers: [cust('C30', { termsDays: 60 })] }, s);
    expect((await invoice('I1')).due_date).toBe('2026-03-11');
    expect((await invoice('I4')).due_date).toBe('2026-01-20');
    // Without default terms, the issue date.
    await write({ invoices: [inv('I6', 'CNOBODY', { issueDate: '2026-01-05', dueDate: null })] });
    expect((await invoice('I6')).due_date).toBe('2026-01-05');
  });

  it('links every record of a batch to its own customer when many records share few customers (known, new in the batch, unknown)', async () => {
    await write({ customers: [cust('CK', { termsDays: 10 })] });
    const custs = ['CK', 'CN', 'CU', 'CN', 'CK', 'CU', 'CK'];
    await write({
      customers: [cust('CN', { termsDays: 20 })],
      invoices: custs.map((c, i) => inv(`I${i}`, c, { issueDate: `2026-01-0${i + 1}`, dueDate: null })),
      payments: custs.map((c, i) => pay(`P${i}`, c)),
    });
    const rows: { external_id: string; customer: string | null; due_date: string }[] = await ds.query(
      `SELECT i.external_id, c.external_id AS customer, to_char(i.due_date, 'YYYY-MM-DD') AS due_date
         FROM invoices i LEFT JOIN customers c ON c.id = i.customer_id
        WHERE i.tenant_id = $1 AND i.connection_id = $2 ORDER BY i.external_id`,
      [scope.tenantId, scope.connectionId],
    );
    const days = { CK: 10, CN: 20, CU: 0 } as Record<string, number>;
    expect(rows).toEqual(
      custs.map((c, i) => ({
        external_id: `I${i}`,
        customer: c === 'CU' ? null : c,
        due_date: `2026-01-${String(i + 1 + days[c]).padStart(2, '0')}`,
      })),
    );
    const payments: { external_id: string; customer: string | null }[] = await ds.query(
      `SELECT p.external_id, c.external_id AS customer FROM payments p LEFT JOIN customers c ON c.id = p.customer_id
        WHERE p.tenant_id = $1 AND p.connection_id = $2 ORDER BY p.external_id`,
      [scope.tenantId, scope.connectionId],
    );
    expect(payments).toEqual(custs.map((c, i) => ({ external_id: `P${i}`, customer: c === 'CU' ? null : c })));
  });

  it('analyzes a table that grew, in the batch transaction, with a small sample, and restores the statistics target', async () => {
    const fresh = new LedgerWriter(clock);
    const invoices = Array.from({ length: 5000 }, (_, i) => inv(`G${i}`, 'CG', { totalMinor: 100_000n + BigInt(i) }));
    const target = await ds.transaction(async (em) => {
      await em.query('SET LOCAL default_statistics_target = 50');
      expect((await fresh.write(em, scope, { cursor: null, customers: [cust('CG')], invoices })).invoices).toEqual({ ...zero, created: 5000 });
      return (await em.query(`SELECT current_setting('default_statistics_target') AS t`))[0].t;
    });
    expect(target).toBe('50');
    // Distinct amounts: a histogram of WRITER_STATISTICS_TARGET buckets (target 50 would give 51 bounds).
    const [{ bounds }] = await ds.query(
      `SELECT array_length(histogram_bounds::text::bigint[], 1) AS bounds FROM pg_stats WHERE tablename = 'invoices' AND attname = 'total_minor'`,
    );
    expect(bounds).toBe(WRITER_STATISTICS_TARGET + 1);
  });

  it('is idempotent when the same batch is delivered twice, and takes the last of duplicate ids in a batch', async () => {
    const batch = { customers: [cust('C1')], invoices: [inv('I1', 'C1', { totalMinor: 100n }), inv('I1', 'C1', { totalMinor: 200n })] };
    expect((await write(batch)).invoices).toEqual({ ...zero, created: 1 });
    expect((await write(batch)).invoices).toEqual({ ...zero, unchanged: 1 });
    expect((await invoice('I1')).total_minor).toBe('200');
  });

  it('snapshot: tombstones rows of the connection the pull did not contain, with counts', async () => {
    await write({
      customers: [cust('C1'), cust('C2')],
      invoices: [inv('I1', 'C1'), inv('I2', 'C2'), inv('I3', 'C2')],
      payments: [pay('P1', 'C1'), pay('P2', 'C2', { amountMinor: 2500n })],
      allocations: [alloc('A1', 'I1', { paymentExternalId: 'P1' }), alloc('A2', 'I2', { paymentExternalId: 'P2', amountMinor: 2500n })],
    });
    const other = { ...scope, connectionId: await aConnection(ds, tenantId) };
    await write({ customers: [cust('C9')], invoices: [inv('I9', 'C9')] }, other);

    const totals = await ds.transaction(async (em) => {
      const snap = await writer.beginSnapshot(em, scope);
      const a = await snap.write({ cursor: null, customers: [cust('C1')], invoices: [inv('I1', 'C1')] });
      const b = await snap.write({ cursor: null, invoices: [inv('I3', 'C2', { totalMinor: 999n })], payments: [pay('P1', 'C1')], allocations: [alloc('A1', 'I1', { paymentExternalId: 'P1' })] });
      const end = await snap.finish();
      return { a, b, end };
    });
    expect(totals.a).toEqual({ customers: { ...zero, unchanged: 1 }, invoices: { ...zero, unchanged: 1 }, payments: zero, allocations: zero });
    expect(totals.b).toEqual({ customers: zero, invoices: { ...zero, updated: 1 }, payments: { ...zero, unchanged: 1 }, allocations: { ...zero, unchanged: 1 } });
    expect(totals.end).toEqual({
      customers: { ...zero, deleted: 1 },
      invoices: { ...zero, deleted: 1 },
      payments: { ...zero, deleted: 1 },
      allocations: { ...zero, deleted: 1 },
    });
    const live = await ds.query(
      `SELECT 'c:' || external_id AS k FROM customers WHERE connection_id = $1 AND deleted_at IS NULL
       UNION ALL SELECT 'i:' || external_id || ':' || status FROM invoices WHERE connection_id = $1
       UNION ALL SELECT 'p:' || external_id FROM payments WHERE connection_id = $1 AND deleted_at IS NULL
       UNION ALL SELECT 'a:' || external_id FROM allocations WHERE connection_id = $1 AND deleted_at IS NULL ORDER BY 1`,
      [scope.connectionId],
    );
    expect(live.map((r: { k: string }) => r.k)).toEqual(['a:A1', 'c:C1', 'i:I1:open', 'i:I2:deleted', 'i:I3:open', 'p:P1']);
    // The other connection is untouched.
    expect(await ds.query(`SELECT status FROM invoices WHERE connection_id = $1`, [other.connectionId])).toEqual([{ status: 'open' }]);
  });

  it('snapshot: only tombstones the entities the source provides', async () => {
    await write({ customers: [cust('C1')], invoices: [inv('I1', 'C1')], payments: [pay('P1', 'C1')] });
    const end = await ds.transaction(async (em) => {
      const snap = await writer.beginSnapshot(em, scope, ['invoices']);
      await snap.write({ cursor: null, invoices: [] });
      return snap.finish();
    });
    expect(end).toEqual({ customers: zero, invoices: { ...zero, deleted: 1 }, payments: zero, allocations: zero });
  });

  it('rejects invalid records as a permanent error, naming the record', async () => {
    await expect(write({ invoices: [inv('I1', 'C1', { issueDate: '10/01/2026' })] })).rejects.toThrow(PermanentSyncError);
    await expect(write({ invoices: [inv('I1', 'C1', { currency: 'euro' })] })).rejects.toThrow('invoice "I1": currency: must be an ISO 4217 code, got "euro"');
  });
});
