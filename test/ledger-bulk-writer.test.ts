import { DataSource } from 'typeorm';
import type { NormalizedAllocation, NormalizedCustomer, NormalizedInvoice, NormalizedPayment } from '../src/connectors/connector';
import { dataSourceOptions } from '../src/common/database/data-source';
import { LedgerBulkWriter, type LedgerRecords } from '../src/ledger/ledger-bulk-writer';
import { LedgerWriter, type LedgerWriteScope } from '../src/ledger/ledger-writer';
import { InvalidRecordError } from '../src/ledger/record-validation';
import type { SyncCounts } from '../src/ledger/sync-counts';
import { TestClock } from './helpers/clock';
import { createTestDatabase, TestDatabase } from './helpers/db';
import { aConnection } from './helpers/factories';
import { allocatedDrift, allocationEndsDrift } from './helpers/allocated-drift';

const cust = (externalId: string, over: Partial<NormalizedCustomer> = {}): NormalizedCustomer => ({ externalId, name: `Customer ${externalId}`, currency: 'EUR', ...over });
const inv = (externalId: string, customerExternalId: string, over: Partial<NormalizedInvoice> = {}): NormalizedInvoice => ({
  externalId, customerExternalId, kind: 'invoice', number: `N-${externalId}`, issueDate: '2026-01-10', dueDate: null, currency: 'EUR',
  totalMinor: 10000n, status: 'open', ...over,
});
const pay = (externalId: string, customerExternalId: string, over: Partial<NormalizedPayment> = {}): NormalizedPayment => ({
  externalId, customerExternalId, date: '2026-02-01', currency: 'EUR', amountMinor: 10000n, method: 'bank', ...over,
});
const alloc = (externalId: string, invoiceExternalId: string, over: Partial<NormalizedAllocation> = {}): NormalizedAllocation => ({
  externalId, invoiceExternalId, amountMinor: 4000n, currency: 'EUR', date: '2026-02-01', ...over,
});

const ENTITIES = ['customers', 'invoices', 'credit_notes', 'payments', 'allocations'] as const;

/**
 * The bulk snapshot path (COPY into staging, set-based merge) against the writer's snapshot
 * path: the same snapshots written to two connections of one tenant must give the same
 * counts and the same ledger, row for row (content hashes, resolved references, derived due
 * dates, statuses, tombstones, allocated amounts), and allocated amounts equal to a
 * from-scratch recomputation after every step.
 */
describe('LedgerBulkWriter (real PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let tenantId: string;
  const clock = new TestClock(new Date('2026-03-01T10:00:00Z'));
  const writer = new LedgerWriter(clock);
  const bulk = new LedgerBulkWriter(clock);

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource(dataSourceOptions(db.url, 4));
    await ds.initialize();
    [{ id: tenantId }] = await ds.query(`INSERT INTO tenants (name) VALUES ('Bulk SAS') RETURNING id`);
  });

  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  const scopeOf = async (name: string): Promise<LedgerWriteScope> => ({
    tenantId,
    connectionId: await aConnection(ds, tenantId, { name }),
    defaultTerms: { days: 45, endOfMonth: true },
  });

  /** Through the writer's snapshot, `size` records a batch (several batches: what the bulk path replaces). */
  const viaWriter = (scope: LedgerWriteScope, batches: LedgerRecords[]) =>
    ds.transaction(async (em) => {
      const snapshot = await writer.beginSnapshot(em, scope, ENTITIES);
      const counts: SyncCounts[] = [];
      for (const b of batches) counts.push(await snapshot.write({ ...b, cursor: null }));
      counts.push(await snapshot.finish());
      return sum(counts);
    });
  const viaBulk = (scope: LedgerWriteScope, batches: LedgerRecords[]) => ds.transaction((em) => bulk.writeSnapshot(em, scope, batches, ENTITIES));

  function sum(all: SyncCounts[]): SyncCounts {
    const out: SyncCounts = {};
    for (const c of all) {
      for (const [t, v] of Object.entries(c)) {
        const into = (out[t] ??= { created: 0, updated: 0, unchanged: 0, deleted: 0 });
        into.created += v.created;
        into.updated += v.updated;
        into.unchanged += v.unchanged;
        into.deleted += v.deleted;
      }
    }
    return out;
  }

  /** A connection's ledger, without ids and times: what both paths must agree on. */
  const ledgerOf = async (connectionId: string) => ({
    customers: await ds.query(
      `SELECT external_id, content_hash, name, emails, currency, terms_days, terms_end_of_month, deleted_at IS NOT NULL AS deleted
         FROM customers WHERE tenant_id = $1 AND connection_id = $2 ORDER BY external_id`,
      [tenantId, connectionId],
    ),
    invoices: await ds.query(
      `SELECT i.external_id, i.content_hash, c.external_id AS customer, i.customer_external_id, i.kind, i.number, i.issue_date::text,
              i.due_date::text, i.due_date_derived, i.total_minor::text, i.status, i.reference, i.allocated_minor::text, i.deleted_at IS NOT NULL AS deleted
         FROM invoices i LEFT JOIN customers c ON c.id = i.customer_id
        WHERE i.tenant_id = $1 AND i.connection_id = $2 ORDER BY i.external_id`,
      [tenantId, connectionId],
    ),
    payments: await ds.query(
      `SELECT p.external_id, p.content_hash, c.external_id AS customer, p.kind, p.date::text, p.amount_minor::text, p.method, p.reference,
              p.allocated_minor::text, p.deleted_at IS NOT NULL AS deleted
         FROM payments p LEFT JOIN customers c ON c.id = p.customer_id
        WHERE p.tenant_id = $1 AND p.connection_id = $2 ORDER BY p.external_id`,
      [tenantId, connectionId],
    ),
    allocations: await ds.query(
      `SELECT a.external_id, a.content_hash, i.external_id AS invoice, p.external_id AS payment, cn.external_id AS credit_note,
              a.invoice_external_id, a.payment_external_id, a.credit_note_external_id, a.amount_minor::text, a.date::text, a.method,
              a.deleted_at IS NOT NULL AS deleted
         FROM allocations a LEFT JOIN invoices i ON i.id = a.invoice_id LEFT JOIN payments p ON p.id = a.payment_id
         LEFT JOIN invoices cn ON cn.id = a.credit_note_id
        WHERE a.tenant_id = $1 AND a.connection_id = $2 ORDER BY a.external_id`,
      [tenantId, connectionId],
    ),
  });

  /** Documents whose stored allocated amount differs from a recomputation (the in-force rule). */
  const drift = async () => [...(await allocatedDrift(ds, tenantId)), ...(await allocationEndsDrift(ds, tenantId))];

  const updatedAt = (connectionId: string) =>
    ds.query(`SELECT external_id, updated_at FROM invoices WHERE tenant_id = $1 AND connection_id = $2 ORDER BY external_id`, [tenantId, connectionId]);

  it('writes every snapshot of a sequence exactly as the writer does: counts, rows, tombstones, links, allocated amounts', async () => {
    const a = await scopeOf('writer-path');
    const b = await scopeOf('bulk-path');
    // Before any snapshot: an allocation waiting for invoice I3 and payment P3 (they arrive in the first snapshot, unchanged records then).
    for (const scope of [a, b]) {
      await ds.transaction((em) => writer.write(em, scope, { cursor: null, allocations: [alloc('A3', 'I3', { paymentExternalId: 'P3', amountMinor: 2500n })] }));
    }

    const january: LedgerRecords[] = [
      { customers: [cust('C1', { termsDays: 30 }), cust('C2', { name: 'Tab\there, back\\slash,\nnew line "quoted"', emails: ['a@x.fr', 'b@x.fr'] })] },
      {
        invoices: [
          inv('I1', 'C1', { totalMinor: 12000n, status: 'paid' }),
          inv('I2', 'C2', { dueDate: '2026-03-15', reference: 'ref 2' }),
          inv('I3', 'C1'),
          inv('I4', 'C9'), // its customer arrives later
          inv('I6', 'C1', { status: 'void' }),
          inv('I7', 'C1', { totalMinor: 5000n }),
          inv('CN1', 'C2', { kind: 'credit_note', totalMinor: 3000n }),
        ],
      },
      { payments: [pay('P1', 'C1', { amountMinor: 15000n }), pay('P2', 'C2'), pay('P3', 'C1', { kind: 'prepayment', method: null }), pay('P5', 'C1', { amountMinor: 3000n })] },
      {
        allocations: [
          alloc('A1', 'I1', { paymentExternalId: 'P1', amountMinor: 12000n }),
          alloc('A2', 'I2', { paymentExternalId: 'P2' }),
          alloc('A3', 'I3', { paymentExternalId: 'P3', amountMinor: 2500n }),
          alloc('A4', 'I2', { creditNoteExternalId: 'CN1', amountMinor: 3000n }),
          alloc('A5', 'I1', { paymentExternalId: 'P-missing' }),
          alloc('A7', 'I6', { paymentExternalId: 'P2', amountMinor: 1000n }), // to a void invoice: not in force
        ],
      },
    ];
    const first = { writer: await viaWriter(a, january), bulk: await viaBulk(b, january) };
    expect(first.bulk).toEqual(first.writer);
    expect(first.bulk.invoices).toEqual({ created: 7, updated: 0, unchanged: 0, deleted: 0 });
    expect(first.bulk.allocations).toEqual({ created: 5, updated: 0, unchanged: 1, deleted: 0 });
    expect(await ledgerOf(b.connectionId)).toEqual(await ledgerOf(a.connectionId));
    expect(await drift()).toEqual([]);
    const [bulkI1] = (await ledgerOf(b.connectionId)).invoices;
    expect([bulkI1.external_id, bulkI1.allocated_minor, bulkI1.due_date]).toEqual(['CN1', '3000', '2026-02-28']);

    clock.advanceDays(1);
    const before = await updatedAt(b.connectionId);
    // February: C1's terms change, I2 voided, CN1 unchanged, I3 gone (its allocation with it), I4's customer arrives,
    // P2 smaller, A1 reduced, A2 moved to I5, new invoices I5, I8 and I9 paid by existing payments or credit notes, I7 (unchanged) paid by a new payment.
    const february: LedgerRecords[] = [
      { customers: [cust('C1', { termsDays: 60, termsEndOfMonth: true }), cust('C2', { name: 'Tab\there, back\\slash,\nnew line "quoted"', emails: ['a@x.fr', 'b@x.fr'] }), cust('C9')] },
      {
        invoices: [
          inv('I1', 'C1', { totalMinor: 12000n, status: 'paid' }),
          inv('I2', 'C2', { dueDate: '2026-03-15', reference: 'ref 2', status: 'void' }),
          inv('I4', 'C9'),
          inv('I5', 'C2', { issueDate: '2026-02-03' }),
          inv('I6', 'C1', { status: 'void' }),
          inv('I7', 'C1', { totalMinor: 5000n }),
          inv('I8', 'C1', { totalMinor: 2000n }),
          inv('I9', 'C2', { totalMinor: 1000n }),
          inv('CN1', 'C2', { kind: 'credit_note', totalMinor: 3000n }),
        ],
      },
      {
        payments: [
          pay('P1', 'C1', { amountMinor: 15000n }), pay('P2', 'C2', { amountMinor: 9000n }), pay('P3', 'C1', { kind: 'prepayment', method: null }),
          pay('P4', 'C1', { amountMinor: 5000n }), pay('P5', 'C1', { amountMinor: 3000n }),
        ],
      },
      {
        allocations: [
          alloc('A1', 'I1', { paymentExternalId: 'P1', amountMinor: 11000n }),
          alloc('A2', 'I5', { paymentExternalId: 'P2' }),
          alloc('A4', 'I2', { creditNoteExternalId: 'CN1', amountMinor: 3000n }),
          alloc('A6', 'I4', { paymentExternalId: 'P1', amountMinor: 1000n }),
          alloc('A7', 'I6', { paymentExternalId: 'P2', amountMinor: 1000n }),
          alloc('A8', 'I7', { paymentExternalId: 'P4', amountMinor: 5000n }),
          alloc('A9', 'I8', { paymentExternalId: 'P5', amountMinor: 2000n }), // a new invoice paid by an unchanged payment
          alloc('A10', 'I9', { creditNoteExternalId: 'CN1', amountMinor: 500n }), // … and by an unchanged credit note
        ],
      },
    ];
    const second = { writer: await viaWriter(a, february), bulk: await viaBulk(b, february) };
    expect(second.bulk).toEqual(second.writer);
    expect(second.bulk.invoices).toEqual({ created: 3, updated: 1, unchanged: 5, deleted: 1 });
    expect(second.bulk.allocations).toEqual({ created: 4, updated: 2, unchanged: 2, deleted: 2 });
    expect(await ledgerOf(b.connectionId)).toEqual(await ledgerOf(a.connectionId));
    expect(await drift()).toEqual([]);
    // Unchanged rows are not touched (CN1: same record; I1: same record, its due date re-derived from C1's new terms).
    const after = await updatedAt(b.connectionId);
    expect(after.find((r: { external_id: string }) => r.external_id === 'CN1')).toEqual(before.find((r: { external_id: string }) => r.external_id === 'CN1'));

    clock.advanceDays(1);
    // March: I3 comes back (its tombstone cleared), P2 disappears (A2 and A7 with it), I2 un-voided, A1 moves from I1 to I2.
    const march: LedgerRecords[] = [
      { customers: [cust('C1', { termsDays: 60, termsEndOfMonth: true }), cust('C9')] },
      { invoices: [inv('I1', 'C1', { totalMinor: 12000n, status: 'paid' }), inv('I2', 'C2', { dueDate: '2026-03-15', reference: 'ref 2' }), inv('I3', 'C1'), inv('CN1', 'C2', { kind: 'credit_note', totalMinor: 3000n })] },
      { payments: [pay('P1', 'C1', { amountMinor: 15000n }), pay('P3', 'C1', { kind: 'prepayment', method: null })] },
      { allocations: [alloc('A1', 'I2', { paymentExternalId: 'P1', amountMinor: 7000n }), alloc('A3', 'I3', { paymentExternalId: 'P3', amountMinor: 2500n }), alloc('A4', 'I2', { creditNoteExternalId: 'CN1', amountMinor: 3000n })] },
    ];
    const third = { writer: await viaWriter(a, march), bulk: await viaBulk(b, march) };
    expect(third.bulk).toEqual(third.writer);
    expect(await ledgerOf(b.connectionId)).toEqual(await ledgerOf(a.connectionId));
    expect(await drift()).toEqual([]);

    // The same snapshot again: nothing written.
    const again = await viaBulk(b, march);
    expect(Object.values(again).every((c) => c.created + c.updated + c.deleted === 0)).toBe(true);
    expect(again.invoices.unchanged).toBe(4);
  });

  it('recognises rows the writer wrote as unchanged, and the other way round (same content hash)', async () => {
    const a = await scopeOf('hash-writer-first');
    const snapshot: LedgerRecords[] = [
      { customers: [cust('H1', { name: 'Ünïcode\\ \t name', creditLimitMinor: 500000n, taxId: 'FR123' })] },
      { invoices: [inv('HI', 'H1', { currencyRate: '1.0825', dueDate: '2026-02-01' })] },
      { payments: [pay('HP', 'H1')] },
      { allocations: [alloc('HA', 'HI', { paymentExternalId: 'HP' })] },
    ];
    await viaWriter(a, snapshot);
    const bulkAfterWriter = await viaBulk(a, snapshot);
    expect(Object.values(bulkAfterWriter).map((c) => [c.created, c.updated, c.deleted])).toEqual([[0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]]);
    const b = await scopeOf('hash-bulk-first');
    await viaBulk(b, snapshot);
    const writerAfterBulk = await viaWriter(b, snapshot);
    expect(Object.values(writerAfterBulk).map((c) => [c.created, c.updated, c.deleted])).toEqual([[0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]]);
  });

  it('rejects an invalid record in the middle of the COPY, writes nothing, and leaves the connection usable', async () => {
    const scope = await scopeOf('bulk-invalid');
    const good: LedgerRecords[] = [{ customers: [cust('V1')] }, { invoices: [inv('VI1', 'V1')] }];
    await viaBulk(scope, good);
    const before = await ledgerOf(scope.connectionId);
    const bad: LedgerRecords[] = [{ customers: [cust('V1', { name: 'renamed' })] }, { invoices: [inv('VI1', 'V1', { totalMinor: 1n }), inv('VI2', 'V1', { issueDate: '2026-02-30x' })] }];
    const err = await viaBulk(scope, bad).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidRecordError);
    expect((err as Error).message).toBe('invoice "VI2": issueDate: must be a YYYY-MM-DD date, got "2026-02-30x"');
    expect(await ledgerOf(scope.connectionId)).toEqual(before);
    // A date PostgreSQL rejects (the shape is right): the COPY fails, the transaction rolls back.
    const rejected = await viaBulk(scope, [{ customers: [cust('V1', { name: 'renamed' })] }, { invoices: [inv('VI1', 'V1', { issueDate: '2026-02-30' })] }]).catch((e) => e);
    expect((rejected as Error).message).toMatch(/date\/time field value out of range: "2026-02-30"/);
    expect(await ledgerOf(scope.connectionId)).toEqual(before);
    // The pool's connections still work: another snapshot goes through.
    const counts = await viaBulk(scope, [{ customers: [cust('V1', { name: 'renamed' })] }, { invoices: [inv('VI1', 'V1')] }]);
    expect(counts.customers).toEqual({ created: 0, updated: 1, unchanged: 0, deleted: 0 });
    expect(counts.invoices).toEqual({ created: 0, updated: 0, unchanged: 1, deleted: 0 });
  });
});
