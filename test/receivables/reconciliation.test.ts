import { bearer, createTenant, startTestApp, TestApp, TestTenant } from '../helpers/app';
import { aConnection, aCustomer, anAllocation, anInvoice, aPayment, LedgerScope } from '../helpers/factories';

type Alloc = { id: string; invoiceId: string; paymentId: string | null; creditNoteId: string | null; amountMinor: number; method: string; confidence: number; createdBy: string };

/**
 * Epsilon SA (EUR) has five open invoices, four payments and a credit note the source left
 * unallocated; Zeta Ltd pays in USD an invoice issued in EUR.
 */
describe('reconciliation', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let operatorKey: string;
  let operatorKeyId: string;
  let s: LedgerScope;
  const id: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createTenant(t);
    operatorKey = await tenant.key('operator');
    [{ id: operatorKeyId }] = await t.ds.query(`SELECT id FROM api_keys WHERE tenant_id = $1 AND role = 'operator'`, [tenant.tenantId]);
    s = { ds: t.ds, tenantId: tenant.tenantId, connectionId: await aConnection(t.ds, tenant.tenantId) };
    const eps = await aCustomer(s, { externalId: 'EPS', name: 'Epsilon SA' });
    const zeta = await aCustomer(s, { externalId: 'ZETA', name: 'Zeta Ltd' });
    for (const [n, total, due] of [['FA-101', 30000, '2026-01-31'], ['FA-102', 20000, '2026-02-15'], ['FA-103', 45000, '2026-02-28'], ['FA-104', 12000, '2026-03-15'], ['FA-1010', 5000, '2026-03-20']] as const) {
      id[n] = (await anInvoice(s, eps, { number: n, issueDate: '2026-01-01', dueDate: due, totalMinor: total })).id;
    }
    id['ZF-1'] = (await anInvoice(s, zeta, { number: 'ZF-1', totalMinor: 10000 })).id;
    id.PA = (await aPayment(s, eps, { externalId: 'PA', date: '2026-02-05', amountMinor: 30000, reference: 'VIR SEPA FACT FA-101' })).id;
    id.PB = (await aPayment(s, eps, { externalId: 'PB', date: '2026-03-01', amountMinor: 45000 })).id;
    id.PC = (await aPayment(s, eps, { externalId: 'PC', date: '2026-03-10', amountMinor: 32000, reference: 'Paiement' })).id;
    id.PD = (await aPayment(s, eps, { externalId: 'PD', date: '2026-03-12', amountMinor: 1000 })).id;
    id.PE = (await aPayment(s, eps, { externalId: 'PE', date: '2026-03-13', amountMinor: 10000, reference: 'ZF-1' })).id;
    id.CN9 = (await anInvoice(s, eps, { number: 'CN-9', kind: 'credit_note', issueDate: '2026-03-18', dueDate: null, totalMinor: 5000 })).id;
    await t.ds.query(`UPDATE invoices SET reference = 'Avoir sur FA-1010' WHERE id = $1`, [id.CN9]);
    id.PZ = (await aPayment(s, zeta, { externalId: 'PZ', date: '2026-03-14', currency: 'USD', amountMinor: 10000, reference: 'ZF-1' })).id;
  });

  afterAll(() => t.close());

  const live = async (): Promise<Alloc[]> =>
    (await t.http().get('/v1/reconciliation/proposed').set(bearer(tenant.adminKey)).expect(200)).body.items;
  const pairs = (items: Alloc[]) =>
    items.map((a) => [a.paymentId ?? a.creditNoteId, a.invoiceId, a.amountMinor, a.method, a.confidence]).sort((x, y) => String(x[0]).localeCompare(String(y[0])) || String(x[1]).localeCompare(String(y[1])));

  it('matches by reference, exact amount and amount set; never across customers or currencies', async () => {
    const res = await t.http().post('/v1/reconciliation/run').set(bearer(operatorKey)).expect(200);
    expect(res.body).toEqual({ candidates: 7, allocated: { reference: 2, exact_amount: 1, amount_set: 2, oldest_first: 0 }, superseded: 0, unmatched: 3 });
    expect(pairs(await live())).toEqual(
      pairs([
        // "VIR SEPA FACT FA-101" names FA-101 (not FA-1010); "Avoir sur FA-1010" names FA-1010 only.
        { paymentId: id.PA, invoiceId: id['FA-101'], amountMinor: 30000, method: 'reference', confidence: 95 },
        { creditNoteId: id.CN9, invoiceId: id['FA-1010'], amountMinor: 5000, method: 'reference', confidence: 95 },
        // 450.00 is the amount of FA-103 only.
        { paymentId: id.PB, invoiceId: id['FA-103'], amountMinor: 45000, method: 'exact_amount', confidence: 90 },
        // 320.00 = FA-102 200.00 + FA-104 120.00.
        { paymentId: id.PC, invoiceId: id['FA-102'], amountMinor: 20000, method: 'amount_set', confidence: 75 },
        { paymentId: id.PC, invoiceId: id['FA-104'], amountMinor: 12000, method: 'amount_set', confidence: 75 },
      ] as unknown as Alloc[]),
    );
    const unmatched = await t.http().get('/v1/reconciliation/unmatched').set(bearer(tenant.adminKey)).expect(200);
    expect(unmatched.body).toEqual({
      items: [
        { type: 'payment', id: id.PD, customerId: expect.any(String), customerRef: 'EPS', customerName: 'Epsilon SA', currency: 'EUR', date: '2026-03-12', amountMinor: 1000, unallocatedMinor: 1000, reference: null },
        { type: 'payment', id: id.PE, customerId: expect.any(String), customerRef: 'EPS', customerName: 'Epsilon SA', currency: 'EUR', date: '2026-03-13', amountMinor: 10000, unallocatedMinor: 10000, reference: 'ZF-1' },
        { type: 'payment', id: id.PZ, customerId: expect.any(String), customerRef: 'ZETA', customerName: 'Zeta Ltd', currency: 'USD', date: '2026-03-14', amountMinor: 10000, unallocatedMinor: 10000, reference: 'ZF-1' },
      ],
      nextCursor: null,
    });
    // A second run finds nothing new.
    const again = await t.http().post('/v1/reconciliation/run').set(bearer(operatorKey)).expect(200);
    expect(again.body).toEqual({ candidates: 3, allocated: { reference: 0, exact_amount: 0, amount_set: 0, oldest_first: 0 }, superseded: 0, unmatched: 3 });
  });

  it('lets an operator reject, confirm and match by hand, audited, and later runs respect it', async () => {
    const proposed = await live();
    const pcToFa104 = proposed.find((a) => a.paymentId === id.PC && a.invoiceId === id['FA-104'])!;
    const pbToFa103 = proposed.find((a) => a.paymentId === id.PB)!;
    await t.http().delete(`/v1/allocations/${pcToFa104.id}`).set(bearer(await tenant.key('viewer'))).expect(403);
    await t.http().delete(`/v1/allocations/${pcToFa104.id}`).set(bearer(operatorKey)).expect(204);
    const confirmed = await t.http().post(`/v1/allocations/${pbToFa103.id}/confirm`).set(bearer(operatorKey)).expect(200);
    expect(confirmed.body).toMatchObject({ id: pbToFa103.id, method: 'exact_amount', confidence: 100 });
    const manual = await t.http().post('/v1/allocations').set(bearer(operatorKey))
      .send({ invoiceId: id['FA-104'], paymentId: id.PD, amountMinor: 1000 }).expect(201);
    expect(manual.body).toMatchObject({ invoiceId: id['FA-104'], invoiceNumber: 'FA-104', paymentId: id.PD, creditNoteId: null, amountMinor: 1000, currency: 'EUR', date: '2026-03-12', method: 'manual', confidence: 100, createdBy: operatorKeyId });

    // The rejected pair is not proposed again: PC's 120.00 stays unmatched though FA-104 has 110.00 left.
    const rerun = await t.http().post('/v1/reconciliation/run').set(bearer(operatorKey)).expect(200);
    expect(rerun.body).toEqual({ candidates: 3, allocated: { reference: 0, exact_amount: 0, amount_set: 0, oldest_first: 0 }, superseded: 0, unmatched: 3 });
    const left = await t.http().get('/v1/reconciliation/unmatched').set(bearer(tenant.adminKey)).expect(200);
    expect(left.body.items.map((i: { id: string; unallocatedMinor: number }) => [i.id, i.unallocatedMinor])).toEqual([[id.PC, 12000], [id.PE, 10000], [id.PZ, 10000]]);
    expect(pairs(await live()).map((p) => p[0])).not.toContain(id.PB);

    const audit = await t.ds.query(`SELECT actor, action, subject_type, data, at FROM audit_events WHERE tenant_id = $1 AND action LIKE 'allocation.%' ORDER BY action`, [tenant.tenantId]);
    expect(audit.map((a: { actor: string; action: string; subject_type: string }) => [a.actor, a.action, a.subject_type])).toEqual([
      [operatorKeyId, 'allocation.confirmed', 'allocation'],
      [operatorKeyId, 'allocation.created', 'allocation'],
      [operatorKeyId, 'allocation.rejected', 'allocation'],
    ]);
    expect(audit[1].data).toEqual({ invoiceId: id['FA-104'], paymentId: id.PD, creditNoteId: null, amountMinor: 1000, currency: 'EUR', date: '2026-03-12' });
    expect(audit[1].at.toISOString()).toBe('2026-01-15T09:00:00.000Z');
  });

  it('gives way to allocations the source brings later, except confirmed and manual ones', async () => {
    // The source now letters PA with FA-101 itself: the rule-made copy is withdrawn.
    await anAllocation(s, { invoiceId: id['FA-101'], paymentId: id.PA }, { amountMinor: 30000, date: '2026-02-05' });
    const res = await t.http().post('/v1/reconciliation/run').set(bearer(operatorKey)).expect(200);
    expect(res.body.superseded).toBe(1);
    const rows = await t.ds.query(
      `SELECT method, amount_minor::int AS amount FROM allocations WHERE tenant_id = $1 AND payment_id = $2 AND deleted_at IS NULL`, [tenant.tenantId, id.PA]);
    expect(rows).toEqual([{ method: 'source', amount: 30000 }]);
    const manual = await t.ds.query(`SELECT count(*)::int AS n FROM allocations WHERE payment_id = $1 AND method = 'manual' AND deleted_at IS NULL`, [id.PD]);
    expect(manual[0].n).toBe(1);
  });

  it('refuses manual matches across customers or currencies, beyond what is open, and deleting source allocations', async () => {
    const post = (body: object) => t.http().post('/v1/allocations').set(bearer(operatorKey)).send(body);
    const cross = await post({ invoiceId: id['ZF-1'], paymentId: id.PE, amountMinor: 10000 }).expect(400);
    expect(cross.body.errors).toEqual([{ field: 'invoiceId', message: 'the invoice belongs to another customer than the payment or credit note' }]);
    const fx = await post({ invoiceId: id['ZF-1'], paymentId: id.PZ, amountMinor: 10000 }).expect(400);
    expect(fx.body.errors).toEqual([{ field: 'invoiceId', message: 'currencies differ (USD and EUR)' }]);
    await post({ invoiceId: id['FA-104'], paymentId: id.PC, amountMinor: 11001 }).expect(409);
    await post({ invoiceId: id['FA-104'], paymentId: id.PC, amountMinor: 0 }).expect(400);
    await post({ invoiceId: id['FA-104'], amountMinor: 100 }).expect(400);
    const [source] = await t.ds.query(`SELECT id FROM allocations WHERE payment_id = $1 AND method = 'source'`, [id.PA]);
    await t.http().delete(`/v1/allocations/${source.id}`).set(bearer(operatorKey)).expect(409);
    const other = await createTenant(t, 'Other');
    await t.http().delete(`/v1/allocations/${source.id}`).set(bearer(other.adminKey)).expect(404);
  });

  it('applies what is left oldest first when the tenant enables it', async () => {
    await t.ds.query(`UPDATE tenants SET settings = '{"reconciliation": {"oldestFirst": true}}' WHERE id = $1`, [tenant.tenantId]);
    const res = await t.http().post('/v1/reconciliation/run').set(bearer(operatorKey)).expect(200);
    // PE's 100.00 goes to FA-104 (110.00 open); PC's 120.00 may not (rejected pair) and nothing else of Epsilon is open.
    expect(res.body).toEqual({ candidates: 3, allocated: { reference: 0, exact_amount: 0, amount_set: 0, oldest_first: 1 }, superseded: 0, unmatched: 2 });
    const onFa104 = await t.ds.query(`SELECT payment_id, amount_minor::int AS amount, method, confidence FROM allocations WHERE invoice_id = $1 AND deleted_at IS NULL ORDER BY amount DESC`, [id['FA-104']]);
    expect(onFa104).toEqual([{ payment_id: id.PE, amount: 10000, method: 'oldest_first', confidence: 50 }, { payment_id: id.PD, amount: 1000, method: 'manual', confidence: 100 }]);
    const eps = { id: (await t.ds.query(`SELECT id FROM customers WHERE external_id = 'EPS'`))[0].id, externalId: 'EPS' };
    const late = await anInvoice(s, eps, { number: 'FA-200', issueDate: '2026-03-20', dueDate: '2026-04-19', totalMinor: 15000 });
    const res2 = await t.http().post('/v1/reconciliation/run').set(bearer(operatorKey)).expect(200);
    expect(res2.body).toEqual({ candidates: 2, allocated: { reference: 0, exact_amount: 0, amount_set: 0, oldest_first: 1 }, superseded: 0, unmatched: 1 });
    const onLate = await t.ds.query(`SELECT payment_id, amount_minor::int AS amount, to_char(date, 'YYYY-MM-DD') AS date, confidence FROM allocations WHERE invoice_id = $1`, [late.id]);
    // Dated at the later document: the invoice of 2026-03-20.
    expect(onLate).toEqual([{ payment_id: id.PC, amount: 12000, date: '2026-03-20', confidence: 50 }]);
  });
});
