import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/common/database/data-source';
import { allocatedDrift, allocationEndsDrift } from './helpers/allocated-drift';
import { createTestDatabase, TestDatabase } from './helpers/db';
import { aConnection, aCustomer, anAllocation, anInvoice, aPayment, type LedgerScope } from './helpers/factories';

/**
 * The ledger tables' references are checked per statement by triggers, not by foreign keys
 * (1796400000000-LedgerReferencesBySet): the same rules as the keys they replace, on real
 * PostgreSQL.
 */
describe('ledger references (real PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let tenantId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource(dataSourceOptions(db.url, 4));
    await ds.initialize();
    [{ id: tenantId }] = await ds.query(`INSERT INTO tenants (name) VALUES ('References SAS') RETURNING id`);
  });

  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  const scope = async (): Promise<LedgerScope> => ({ ds, tenantId, connectionId: await aConnection(ds, tenantId) });
  const rows = async (table: string, connectionId: string): Promise<number> =>
    (await ds.query(`SELECT count(*)::int AS n FROM ${table} WHERE connection_id = $1`, [connectionId]))[0].n;
  const failure = (p: Promise<unknown>) => p.then(() => null, (e: { code?: string; column?: string; message: string }) => ({ code: e.code, column: e.column, message: e.message }));

  it('refuses a row naming a missing connection, customer, invoice, credit note or payment, and writes nothing of the statement', async () => {
    const s = await scope();
    const customer = await aCustomer(s);
    const invoice = await anInvoice(s, customer);
    const payment = await aPayment(s, customer);
    const ghost = { id: randomUUID(), externalId: 'GHOST' };

    expect(await failure(anInvoice(s, ghost))).toEqual({
      code: '23503', column: 'customer_id', message: 'insert or update on table "invoices" violates its reference to customers',
    });
    expect(await failure(aPayment(s, ghost))).toMatchObject({ code: '23503', column: 'customer_id' });
    expect(await failure(aCustomer({ ...s, connectionId: randomUUID() }))).toMatchObject({ code: '23503', column: 'connection_id' });
    expect(await failure(anAllocation(s, { invoiceId: ghost.id, paymentId: payment.id }))).toMatchObject({ code: '23503', column: 'invoice_id' });
    expect(await failure(anAllocation(s, { invoiceId: invoice.id, paymentId: ghost.id }))).toMatchObject({ code: '23503', column: 'payment_id' });
    expect(await failure(anAllocation(s, { invoiceId: invoice.id, creditNoteId: ghost.id }))).toMatchObject({ code: '23503', column: 'credit_note_id' });
    // An update is checked too.
    expect(await failure(ds.query(`UPDATE invoices SET customer_id = $2 WHERE id = $1`, [invoice.id, ghost.id]))).toMatchObject({ code: '23503' });
    // One bad row fails its whole statement.
    expect(
      await failure(
        ds.query(
          `INSERT INTO invoices (tenant_id, connection_id, external_id, content_hash, customer_id, customer_external_id, kind, number, issue_date, due_date, currency, total_minor, status)
           SELECT $1, $2, 'B' || g, 'h', CASE WHEN g = 3 THEN $4::uuid ELSE $3::uuid END, 'C', 'invoice', 'B' || g, '2026-01-01', '2026-01-31', 'EUR', 100, 'open'
             FROM generate_series(1, 5) g`,
          [tenantId, s.connectionId, customer.id, ghost.id],
        ),
      ),
    ).toMatchObject({ code: '23503' });
    expect([await rows('customers', s.connectionId), await rows('invoices', s.connectionId), await rows('payments', s.connectionId), await rows('allocations', s.connectionId)])
      .toEqual([1, 1, 1, 0]);
    expect((await ds.query(`SELECT customer_id FROM invoices WHERE id = $1`, [invoice.id]))[0].customer_id).toBe(customer.id);
  });

  it('deletes with the keys they replace: a connection takes its ledger, a document its allocations, a customer leaves its documents', async () => {
    const s = await scope();
    const other = await scope();
    const customer = await aCustomer(s);
    const invoice = await anInvoice(s, customer, { totalMinor: 10000 });
    const invoice2 = await anInvoice(s, customer, { totalMinor: 5000 });
    const payment = await aPayment(s, customer, { amountMinor: 15000 });
    await anAllocation(s, { invoiceId: invoice.id, paymentId: payment.id }, { amountMinor: 10000 });
    await anAllocation(s, { invoiceId: invoice2.id, paymentId: payment.id }, { amountMinor: 5000 });
    // A payment of the other connection, matched by hand to this connection's invoice (an allocation without a connection).
    const theirs = await aCustomer(other);
    const theirPayment = await aPayment(other, theirs, { amountMinor: 700 });
    const theirInvoice = await anInvoice(other, theirs);
    await anAllocation({ ...other, connectionId: null as unknown as string }, { invoiceId: invoice2.id, paymentId: theirPayment.id }, { amountMinor: 700, method: 'manual', externalId: null });

    // A hard-deleted invoice takes its allocations; the payment's allocated amount follows.
    await ds.query(`DELETE FROM invoices WHERE id = $1`, [invoice.id]);
    expect((await ds.query(`SELECT count(*)::int AS n FROM allocations WHERE invoice_id = $1`, [invoice.id]))[0].n).toBe(0);
    expect((await ds.query(`SELECT allocated_minor::int AS n FROM payments WHERE id = $1`, [payment.id]))[0].n).toBe(5000);
    expect(await allocatedDrift(ds, tenantId)).toEqual([]);
    expect(await allocationEndsDrift(ds, tenantId)).toEqual([]);

    // A deleted customer leaves its documents without one.
    const [{ id: lone }] = await ds.query(
      `INSERT INTO customers (tenant_id, connection_id, external_id, content_hash, name, currency) VALUES ($1, $2, 'LONE', 'h', 'Lone', 'EUR') RETURNING id`,
      [tenantId, other.connectionId],
    );
    const loneInvoice = await anInvoice(other, { id: lone, externalId: 'LONE' });
    const lonePayment = await aPayment(other, { id: lone, externalId: 'LONE' });
    await ds.query(`DELETE FROM customers WHERE id = $1`, [lone]);
    expect(await ds.query(`SELECT customer_id FROM invoices WHERE id = $1 UNION ALL SELECT customer_id FROM payments WHERE id = $2`, [loneInvoice.id, lonePayment.id]))
      .toEqual([{ customer_id: null }, { customer_id: null }]);

    // A deleted connection takes its customers, documents and allocations, the hand-made one included.
    await ds.query(`DELETE FROM connections WHERE id = $1`, [s.connectionId]);
    expect([await rows('customers', s.connectionId), await rows('invoices', s.connectionId), await rows('payments', s.connectionId), await rows('allocations', s.connectionId)])
      .toEqual([0, 0, 0, 0]);
    expect((await ds.query(`SELECT count(*)::int AS n FROM allocations WHERE payment_id = $1`, [theirPayment.id]))[0].n).toBe(0);
    expect((await ds.query(`SELECT allocated_minor::int AS n FROM payments WHERE id = $1`, [theirPayment.id]))[0].n).toBe(0);
    // The other connection keeps its own.
    expect(await ds.query(`SELECT id FROM invoices WHERE id = $1`, [theirInvoice.id])).toHaveLength(1);
    expect(await allocatedDrift(ds, tenantId)).toEqual([]);
    expect(await allocationEndsDrift(ds, tenantId)).toEqual([]);
  });

  it('holds the connection while a transaction writes its rows: its deletion waits, then takes them', async () => {
    const s = await scope();
    const customer = await aCustomer(s);
    const writer = new Client({ connectionString: db.url });
    const deleter = new Client({ connectionString: db.url });
    await writer.connect();
    await deleter.connect();
    try {
      await writer.query('BEGIN');
      await writer.query(
        `INSERT INTO invoices (tenant_id, connection_id, external_id, content_hash, customer_id, customer_external_id, kind, number, issue_date, due_date, currency, total_minor, status)
         VALUES ($1, $2, 'W1', 'h', $3, $4, 'invoice', 'W1', '2026-01-01', '2026-01-31', 'EUR', 100, 'open')`,
        [tenantId, s.connectionId, customer.id, customer.externalId],
      );
      await deleter.query(`SET lock_timeout = '300ms'`);
      expect(await failure(deleter.query(`DELETE FROM connections WHERE id = $1`, [s.connectionId]))).toMatchObject({ code: '55P03' });
      await writer.query('COMMIT');
      await deleter.query(`DELETE FROM connections WHERE id = $1`, [s.connectionId]);
      expect([await rows('customers', s.connectionId), await rows('invoices', s.connectionId)]).toEqual([0, 0]);
    } finally {
      await writer.end();
      await deleter.end();
    }
  });
});
