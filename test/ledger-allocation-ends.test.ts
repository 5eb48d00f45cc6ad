import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/common/database/data-source';
import { allocationEndsDrift, inForceDrift } from './helpers/allocated-drift';
import { createTestDatabase, TestDatabase } from './helpers/db';
import { aConnection, aCustomer, anAllocation, anInvoice, aPayment, LedgerScope } from './helpers/factories';

/**
 * What an allocation holds of its ends (payment date, invoice customer and due date, kept by
 * database triggers, migration AllocationEnds) after every change of an end that matters: it
 * must equal a reading of the ends, and hold exactly the figures the payer scores and the
 * forecast read.
 */
describe('allocation ends kept by the database (real PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let s: LedgerScope;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource(dataSourceOptions(db.url, 4));
    await ds.initialize();
    const [{ id: tenantId }] = await ds.query(`INSERT INTO tenants (name) VALUES ('Ends SAS') RETURNING id`);
    s = { ds, tenantId, connectionId: await aConnection(ds, tenantId) };
  });

  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  const drift = () => allocationEndsDrift(ds, s.tenantId);
  const ends = async (id: string): Promise<string> =>
    (await ds.query(`SELECT format('%s|%s|%s', payment_date, invoice_customer_id, invoice_ref_date) AS e FROM allocations WHERE id = $1`, [id]))[0].e;

  it('follows due dates, customers, void, tombstones, kinds, payment dates and other ends', async () => {
    const c1 = await aCustomer(s, { externalId: 'E1' });
    const c2 = await aCustomer(s, { externalId: 'E2' });
    const inv = await anInvoice(s, c1, { number: 'EI1', issueDate: '2026-01-10', dueDate: '2026-02-09' });
    const other = await anInvoice(s, c2, { number: 'EI2', issueDate: '2026-01-05', dueDate: null });
    const pay = await aPayment(s, c1, { date: '2026-02-20' });
    const pay2 = await aPayment(s, c1, { date: '2026-03-02' });
    const a = await anAllocation(s, { invoiceId: inv.id, paymentId: pay.id }, { date: '2026-02-20' });
    expect(await ends(a)).toBe(`2026-02-20|${c1.id}|2026-02-09`);

    const steps: Array<[string, string, string]> = [
      ['due date moved', `UPDATE invoices SET due_date = '2026-02-15' WHERE id = '${inv.id}'`, `2026-02-20|${c1.id}|2026-02-15`],
      ['no due date: the issue date', `UPDATE invoices SET due_date = NULL WHERE id = '${inv.id}'`, `2026-02-20|${c1.id}|2026-01-10`],
      ['issue date moved', `UPDATE invoices SET issue_date = '2026-01-12' WHERE id = '${inv.id}'`, `2026-02-20|${c1.id}|2026-01-12`],
      ['other customer', `UPDATE invoices SET customer_id = '${c2.id}', due_date = '2026-02-09' WHERE id = '${inv.id}'`, `2026-02-20|${c2.id}|2026-02-09`],
      ['customer deleted', `DELETE FROM customers WHERE id = '${c2.id}'`, `2026-02-20||2026-02-09`],
      ['customer linked', `UPDATE invoices SET customer_id = '${c1.id}' WHERE id = '${inv.id}'`, `2026-02-20|${c1.id}|2026-02-09`],
      ['paid: still in force', `UPDATE invoices SET status = 'paid' WHERE id = '${inv.id}'`, `2026-02-20|${c1.id}|2026-02-09`],
      ['void', `UPDATE invoices SET status = 'void' WHERE id = '${inv.id}'`, `2026-02-20||`],
      ['open again', `UPDATE invoices SET status = 'open' WHERE id = '${inv.id}'`, `2026-02-20|${c1.id}|2026-02-09`],
      ['tombstoned', `UPDATE invoices SET deleted_at = now() WHERE id = '${inv.id}'`, `2026-02-20||`],
      ['back', `UPDATE invoices SET deleted_at = NULL WHERE id = '${inv.id}'`, `2026-02-20|${c1.id}|2026-02-09`],
      ['a credit note', `UPDATE invoices SET kind = 'credit_note' WHERE id = '${inv.id}'`, `2026-02-20||`],
      ['an invoice again', `UPDATE invoices SET kind = 'invoice' WHERE id = '${inv.id}'`, `2026-02-20|${c1.id}|2026-02-09`],
      ['payment date moved', `UPDATE payments SET date = '2026-02-25' WHERE id = '${pay.id}'`, `2026-02-25|${c1.id}|2026-02-09`],
      ['payment tombstoned', `UPDATE payments SET deleted_at = now() WHERE id = '${pay.id}'`, `|${c1.id}|2026-02-09`],
      ['payment back', `UPDATE payments SET deleted_at = NULL WHERE id = '${pay.id}'`, `2026-02-25|${c1.id}|2026-02-09`],
      ['other payment', `UPDATE allocations SET payment_id = '${pay2.id}' WHERE id = '${a}'`, `2026-03-02|${c1.id}|2026-02-09`],
      ['other invoice (its customer deleted above)', `UPDATE allocations SET invoice_id = '${other.id}' WHERE id = '${a}'`, `2026-03-02||2026-01-05`],
      ['its invoice back', `UPDATE allocations SET invoice_id = '${inv.id}' WHERE id = '${a}'`, `2026-03-02|${c1.id}|2026-02-09`],
      ['written by hand: read again from the ends', `UPDATE allocations SET payment_date = '2000-01-01', invoice_ref_date = NULL WHERE id = '${a}'`,
        `2026-03-02|${c1.id}|2026-02-09`],
    ];
    for (const [step, sql, expected] of steps) {
      await ds.query(sql);
      expect({ step, ends: await ends(a) }).toEqual({ step, ends: expected });
      expect({ step, drift: await drift() }).toEqual({ step, drift: [] });
    }
  });

  it('holds nothing of an end of another tenant, nor of a credit note allocated to an invoice', async () => {
    const [{ id: otherTenant }] = await ds.query(`INSERT INTO tenants (name) VALUES ('Elsewhere') RETURNING id`);
    const o: LedgerScope = { ds, tenantId: otherTenant, connectionId: await aConnection(ds, otherTenant) };
    const foreign = await anInvoice(o, await aCustomer(o, { externalId: 'F' }), { number: 'F1' });
    const c = await aCustomer(s, { externalId: 'E3' });
    const pay = await aPayment(s, c, { date: '2026-02-03' });
    const a = await anAllocation(s, { invoiceId: foreign.id, paymentId: pay.id }, { date: '2026-02-03' });
    expect(await ends(a)).toBe('2026-02-03||');
    const inv = await anInvoice(s, c, { number: 'E3-1', dueDate: '2026-01-31' });
    const cn = await anInvoice(s, c, { number: 'E3-CN', kind: 'credit_note', dueDate: null });
    const b = await anAllocation(s, { invoiceId: inv.id, creditNoteId: cn.id });
    expect(await ends(b)).toBe(`|${c.id}|2026-01-31`);
    expect(await drift()).toEqual([]);
  });

  /** Whether some statement of the database waits for a lock (polls pg_stat_activity; gives up after 500 polls). */
  const someoneWaits = async (): Promise<boolean> => {
    for (let i = 0; i < 500; i++) {
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
      if (n > 0) return true;
    }
    return false;
  };

  it('orders itself with a transaction changing an end: reads the end once it commits, or is rewritten by it', async () => {
    const c = await aCustomer(s, { externalId: 'E5' });
    const inv = await anInvoice(s, c, { number: 'E5-1', issueDate: '2026-03-01', dueDate: '2026-03-31' });
    const pay = await aPayment(s, c, { date: '2026-04-02' });
    // The due date changes in an open transaction: an allocation to the invoice waits for it, then reads the new date.
    const changing = ds.createQueryRunner();
    await changing.startTransaction();
    await changing.query(`UPDATE invoices SET due_date = '2026-04-15' WHERE id = $1`, [inv.id]);
    const inserting = anAllocation(s, { invoiceId: inv.id, paymentId: pay.id }, { date: '2026-04-02' });
    expect(await someoneWaits()).toBe(true);
    await changing.commitTransaction();
    const a = await inserting;
    expect(await ends(a)).toBe(`2026-04-02|${c.id}|2026-04-15`);
    // The other way round: an allocation inserted in an open transaction; the payment's date change waits, then rewrites it.
    const allocating = ds.createQueryRunner();
    await allocating.startTransaction();
    const [{ id: b }] = await allocating.query(
      `INSERT INTO allocations (tenant_id, invoice_id, payment_id, amount_minor, currency, date, method, confidence) VALUES ($1, $2, $3, 500, 'EUR', '2026-04-02', 'manual', 100) RETURNING id`,
      [s.tenantId, inv.id, pay.id],
    );
    const moving = ds.query(`UPDATE payments SET date = '2026-04-03' WHERE id = $1`, [pay.id]);
    expect(await someoneWaits()).toBe(true);
    await allocating.commitTransaction();
    await moving;
    await Promise.all([changing.release(), allocating.release()]);
    expect([await ends(a), await ends(b)]).toEqual([`2026-04-03|${c.id}|2026-04-15`, `2026-04-03|${c.id}|2026-04-15`]);
    expect(await drift()).toEqual([]);
  });

  it('fills the allocations of an existing ledger when migrated', async () => {
    const c = await aCustomer(s, { externalId: 'E4' });
    const inv = await anInvoice(s, c, { number: 'E4-1', issueDate: '2026-03-01', dueDate: '2026-03-31' });
    const a = await anAllocation(s, { invoiceId: inv.id, paymentId: (await aPayment(s, c, { date: '2026-04-02' })).id }, { date: '2026-04-02' });
    // Every migration down to AllocationEnds undone (those after it fill their own columns), then all run again.
    let undone: string;
    do {
      [{ name: undone }] = await ds.query(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`);
      await ds.undoLastMigration();
    } while (undone !== 'AllocationEnds1796600000000');
    await ds.runMigrations();
    expect(await ends(a)).toBe(`2026-04-02|${c.id}|2026-03-31`);
    expect(await drift()).toEqual([]);
    // AllocationsInForce, run again after it, fills its column too.
    expect(await inForceDrift(ds, s.tenantId)).toEqual([]);
    expect((await ds.query(`SELECT to_char(in_force_on, 'YYYY-MM-DD') AS d FROM allocations WHERE id = $1`, [a]))[0].d).toBe('2026-04-02');
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM allocations WHERE payment_date IS NOT NULL OR invoice_ref_date IS NOT NULL`);
    expect(n).toBeGreaterThan(2);
  });
});
