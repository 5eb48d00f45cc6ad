import { DataSource, type EntityManager } from 'typeorm';
import type { SyncBatch } from '../src/connectors/connector';
import { dataSourceOptions } from '../src/common/database/data-source';
import { INSERT_RULE_ALLOCATIONS_SQL } from '../src/dunning/reconciliation/reconciliation.query';
import { LedgerBulkWriter } from '../src/ledger/ledger-bulk-writer';
import { LedgerWriter } from '../src/ledger/ledger-writer';
import { TestClock } from './helpers/clock';
import { createTestDatabase, TestDatabase } from './helpers/db';
import { aConnection } from './helpers/factories';
import { inForceDrift, ledgerDrift, NO_DRIFT } from './helpers/allocated-drift';

/**
 * `allocations.in_force_on` is kept by database triggers (AllocationsInForce migration): the
 * latest of the allocation's date and its ends' dates, null when it never counts. Whatever a
 * writer puts there, and whatever later happens to the ends, it must equal the rule.
 */
describe('allocations in force from a date, kept by the database (real PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let tenantId: string;
  let connectionId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource(dataSourceOptions(db.url, 2));
    await ds.initialize();
    [{ id: tenantId }] = await ds.query(`INSERT INTO tenants (name) VALUES ('In Force SARL') RETURNING id`);
    connectionId = await aConnection(ds, tenantId);
  });

  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  const invoice = async (externalId: string, kind: 'invoice' | 'credit_note', issueDate: string, totalMinor: number): Promise<string> =>
    (
      await ds.query(
        `INSERT INTO invoices (tenant_id, connection_id, external_id, content_hash, customer_external_id, kind, number, issue_date, currency, total_minor)
         VALUES ($1, $2, $3, 'h', 'C', $4, $3, $5, 'EUR', $6) RETURNING id`,
        [tenantId, connectionId, externalId, kind, issueDate, totalMinor],
      )
    )[0].id;
  const payment = async (externalId: string, date: string, amountMinor: number): Promise<string> =>
    (
      await ds.query(
        `INSERT INTO payments (tenant_id, connection_id, external_id, content_hash, customer_external_id, date, currency, amount_minor)
         VALUES ($1, $2, $3, 'h', 'C', $4, 'EUR', $5) RETURNING id`,
        [tenantId, connectionId, externalId, date, amountMinor],
      )
    )[0].id;
  /** Written as a manual allocation is: without `in_force_on` (or with the value given). */
  const allocate = async (externalId: string, ends: { invoiceId: string; paymentId?: string; creditNoteId?: string }, date: string, amountMinor: number, inForceOn: string | null = null) =>
    ds.query(
      `INSERT INTO allocations (tenant_id, connection_id, external_id, invoice_id, payment_id, credit_note_id, amount_minor, currency, date, in_force_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'EUR', $8, $9)`,
      [tenantId, connectionId, externalId, ends.invoiceId, ends.paymentId ?? null, ends.creditNoteId ?? null, amountMinor, date, inForceOn],
    );
  const inForce = async (): Promise<Record<string, string | null>> =>
    Object.fromEntries(
      (await ds.query(`SELECT external_id, to_char(in_force_on, 'YYYY-MM-DD') AS d FROM allocations WHERE tenant_id = $1 ORDER BY external_id`, [tenantId])).map(
        (r: { external_id: string; d: string | null }) => [r.external_id, r.d],
      ),
    );
  const allocated = async (): Promise<number[]> =>
    (await ds.query(`SELECT allocated_minor::int AS n FROM invoices WHERE tenant_id = $1 AND external_id = 'I1'`, [tenantId])).map((r: { n: number }) => r.n);

  it('sets the latest of the three dates, corrects what a writer put, and follows the ends and the allocation', async () => {
    const i1 = await invoice('I1', 'invoice', '2026-01-10', 10000);
    const cn1 = await invoice('CN1', 'credit_note', '2026-02-05', 2000);
    const p1 = await payment('P1', '2026-02-01', 5000);
    const p2 = await payment('P2', '2026-01-05', 3000);
    // Lettered before the payment's date; a credit note issued after its lettering; a payment older than the invoice.
    await allocate('A1', { invoiceId: i1, paymentId: p1 }, '2026-01-20', 5000);
    await allocate('A2', { invoiceId: i1, creditNoteId: cn1 }, '2026-02-03', 2000);
    // A writer that puts a wrong date gets it corrected.
    await allocate('A3', { invoiceId: i1, paymentId: p2 }, '2026-01-12', 3000, '2025-01-01');
    expect(await inForce()).toEqual({ A1: '2026-02-01', A2: '2026-02-05', A3: '2026-01-12' });
    expect(await allocated()).toEqual([10000]);

    // An UPDATE that writes it directly is corrected too, and leaves the allocated amounts alone.
    await ds.query(`UPDATE allocations SET in_force_on = '2030-01-01' WHERE tenant_id = $1 AND external_id = 'A1'`, [tenantId]);
    expect((await inForce()).A1).toBe('2026-02-01');

    // The ends move: a payment date, an invoice issue date.
    await ds.query(`UPDATE payments SET date = '2026-02-20' WHERE id = $1`, [p1]);
    expect(await inForce()).toEqual({ A1: '2026-02-20', A2: '2026-02-05', A3: '2026-01-12' });
    await ds.query(`UPDATE invoices SET issue_date = '2026-01-15' WHERE id = $1`, [i1]);
    expect(await inForce()).toEqual({ A1: '2026-02-20', A2: '2026-02-05', A3: '2026-01-15' });

    // Out of force: a tombstoned payment, a void credit note, a deleted allocation; and back.
    await ds.query(`UPDATE payments SET deleted_at = now() WHERE id = $1`, [p1]);
    await ds.query(`UPDATE invoices SET status = 'void' WHERE id = $1`, [cn1]);
    await ds.query(`UPDATE allocations SET deleted_at = now() WHERE tenant_id = $1 AND external_id = 'A3'`, [tenantId]);
    expect(await inForce()).toEqual({ A1: null, A2: null, A3: null });
    expect(await allocated()).toEqual([0]);
    await ds.query(`UPDATE payments SET deleted_at = NULL WHERE id = $1`, [p1]);
    await ds.query(`UPDATE invoices SET status = 'open' WHERE id = $1`, [cn1]);
    await ds.query(`UPDATE allocations SET deleted_at = NULL, date = '2026-03-01' WHERE tenant_id = $1 AND external_id = 'A3'`, [tenantId]);
    expect(await inForce()).toEqual({ A1: '2026-02-20', A2: '2026-02-05', A3: '2026-03-01' });
    expect(await allocated()).toEqual([10000]);

    // A voided invoice takes all its allocations out of force.
    await ds.query(`UPDATE invoices SET status = 'void' WHERE id = $1`, [i1]);
    expect(await inForce()).toEqual({ A1: null, A2: null, A3: null });
    await ds.query(`UPDATE invoices SET status = 'paid' WHERE id = $1`, [i1]);
    expect(await inForce()).toEqual({ A1: '2026-02-20', A2: '2026-02-05', A3: '2026-03-01' });
    expect(await ledgerDrift(ds, tenantId)).toEqual(NO_DRIFT);
  });

  /**
   * The writers of many allocations compute the date in their own statement, so that the
   * triggers find nothing to correct: checked with the triggers off (in the transaction only).
   */
  describe('writers compute it themselves', () => {
    const clock = new TestClock(new Date('2026-03-01T10:00:00Z'));
    const batch: Omit<SyncBatch, 'cursor'> = {
      customers: [{ externalId: 'C', name: 'Client C', currency: 'EUR' }],
      invoices: [
        { externalId: 'I1', customerExternalId: 'C', kind: 'invoice', number: 'I1', issueDate: '2026-01-10', dueDate: '2026-02-09', currency: 'EUR', totalMinor: 10000n, status: 'open' },
        { externalId: 'CN1', customerExternalId: 'C', kind: 'credit_note', number: 'CN1', issueDate: '2026-02-05', dueDate: null, currency: 'EUR', totalMinor: 2000n, status: 'open' },
        { externalId: 'IV', customerExternalId: 'C', kind: 'invoice', number: 'IV', issueDate: '2026-01-02', dueDate: '2026-02-01', currency: 'EUR', totalMinor: 500n, status: 'void' },
      ],
      payments: [{ externalId: 'P1', customerExternalId: 'C', date: '2026-02-01', currency: 'EUR', amountMinor: 9000n }],
      allocations: [
        { externalId: 'A1', invoiceExternalId: 'I1', paymentExternalId: 'P1', amountMinor: 5000n, currency: 'EUR', date: '2026-01-20' },
        { externalId: 'A2', invoiceExternalId: 'I1', creditNoteExternalId: 'CN1', amountMinor: 2000n, currency: 'EUR', date: '2026-02-03' },
        { externalId: 'A3', invoiceExternalId: 'IV', paymentExternalId: 'P1', amountMinor: 500n, currency: 'EUR', date: '2026-02-01' },
        { externalId: 'A4', invoiceExternalId: 'NOT-YET', paymentExternalId: 'P1', amountMinor: 1000n, currency: 'EUR', date: '2026-02-01' },
      ],
    };
    const expected = { A1: '2026-02-01', A2: '2026-02-05', A3: null, A4: null };

    /** Runs `write` with the checking triggers off, and answers the dates written and the drift, before they are back on. */
    const withoutCorrection = (write: (em: EntityManager, connectionId: string) => Promise<unknown>) =>
      ds.transaction(async (em) => {
        const connectionId = await aConnection(ds, tenantId);
        await em.query('ALTER TABLE allocations DISABLE TRIGGER lb_allocations_in_force_ins, DISABLE TRIGGER lb_allocations_in_force_upd');
        await write(em, connectionId);
        const rows: Array<{ external_id: string; d: string | null }> = await em.query(
          `SELECT external_id, to_char(in_force_on, 'YYYY-MM-DD') AS d FROM allocations WHERE connection_id = $1 ORDER BY external_id`,
          [connectionId],
        );
        const drift = await inForceDrift(em, tenantId);
        await em.query('ALTER TABLE allocations ENABLE TRIGGER lb_allocations_in_force_ins, ENABLE TRIGGER lb_allocations_in_force_upd');
        return { written: Object.fromEntries(rows.map((r) => [r.external_id, r.d])), drift };
      });

    it('the sync writer, on insert and on update', async () => {
      const writer = new LedgerWriter(clock);
      const result = await withoutCorrection(async (em, connectionId) => {
        await writer.write(em, { tenantId, connectionId }, { cursor: null, ...batch });
        // The source moves an allocation's date after the credit note's: an UPDATE by the writer.
        await writer.write(em, { tenantId, connectionId }, { cursor: null, allocations: [{ ...batch.allocations![1], date: '2026-02-10' }] });
      });
      expect(result).toEqual({ written: { ...expected, A2: '2026-02-10' }, drift: [] });
    });

    it('the bulk snapshot writer', async () => {
      const bulk = new LedgerBulkWriter(clock);
      const result = await withoutCorrection((em, connectionId) =>
        bulk.writeSnapshot(em, { tenantId, connectionId }, [batch], ['customers', 'invoices', 'credit_notes', 'payments', 'allocations']),
      );
      expect(result).toEqual({ written: expected, drift: [] });
    });

    it("the reconciliation's rule-made allocations", async () => {
      const result = await withoutCorrection(async (em, connectionId) => {
        await new LedgerWriter(clock).write(em, { tenantId, connectionId }, { cursor: null, ...batch, allocations: [] });
        const id = async (table: string, externalId: string) =>
          (await em.query(`SELECT id FROM ${table} WHERE connection_id = $1 AND external_id = $2`, [connectionId, externalId]))[0].id;
        const rows = [
          { invoice_id: await id('invoices', 'I1'), payment_id: await id('payments', 'P1'), credit_note_id: null, amount_minor: 5000, date: '2026-01-20', method: 'exact_amount', confidence: 90 },
          { invoice_id: await id('invoices', 'I1'), payment_id: null, credit_note_id: await id('invoices', 'CN1'), amount_minor: 2000, date: '2026-02-03', method: 'reference', confidence: 95 },
        ];
        await em.query(INSERT_RULE_ALLOCATIONS_SQL, [tenantId, JSON.stringify(rows), '2026-03-01T10:00:00Z']);
        await em.query(`UPDATE allocations SET connection_id = $1 WHERE tenant_id = $2 AND connection_id IS NULL`, [connectionId, tenantId]);
        await em.query(`UPDATE allocations SET external_id = CASE WHEN credit_note_id IS NULL THEN 'R1' ELSE 'R2' END WHERE connection_id = $1`, [connectionId]);
      });
      expect(result).toEqual({ written: { R1: '2026-02-01', R2: '2026-02-05' }, drift: [] });
    });
  });
});
