import { aCustomer, anAllocation, anInvoice, aPayment, LedgerScope } from '../helpers/factories';
import { bearer, createTenant, startTestApp, TestApp, TestTenant } from '../helpers/app';
import { TestConnectorModule } from '../support/test-connector';

describe('ledger read API', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let s: LedgerScope;

  beforeAll(async () => {
    t = await startTestApp({ extraModules: [TestConnectorModule] });
    tenant = await createTenant(t);
    const conn = await t.http().post('/v1/connections').set(bearer(tenant.adminKey)).send({ provider: 'test', name: 'L' }).expect(201);
    s = { ds: t.ds, tenantId: tenant.tenantId, connectionId: conn.body.id };
  });
  afterAll(() => t.close());

  it('derives outstanding amounts from allocations, for invoices and credit notes', async () => {
    const c = await aCustomer(s, { name: 'Dupont SARL' });
    const inv = await anInvoice(s, c, { number: 'F-1', totalMinor: 120000, dueDate: '2026-02-15' });
    const cn = await anInvoice(s, c, { number: 'AV-1', kind: 'credit_note', totalMinor: 20000, dueDate: null });
    const pay = await aPayment(s, c, { amountMinor: 50001 });
    await anAllocation(s, { invoiceId: inv.id, paymentId: pay.id }, { amountMinor: 50001 });
    await anAllocation(s, { invoiceId: inv.id, creditNoteId: cn.id }, { amountMinor: 15000 });
    await anInvoice(s, c, { number: 'F-VOID', totalMinor: 999, status: 'void' });

    const res = await t.http().get('/v1/invoices').query({ customer: c.id }).set(bearer(tenant.adminKey)).expect(200);
    const byNumber = Object.fromEntries(res.body.items.map((i: { number: string }) => [i.number, i]));
    expect(byNumber['F-1']).toMatchObject({ totalMinor: 120000, outstandingMinor: 54999, currency: 'EUR', dueDate: '2026-02-15', issueDate: '2026-01-01' });
    expect(byNumber['AV-1']).toMatchObject({ kind: 'credit_note', totalMinor: 20000, outstandingMinor: 5000, dueDate: null });
    expect(byNumber['F-VOID']).toMatchObject({ outstandingMinor: 0, status: 'void' });

    const pays = await t.http().get('/v1/payments').query({ customer: c.id }).set(bearer(tenant.adminKey)).expect(200);
    expect(pays.body.items).toEqual([expect.objectContaining({ amountMinor: 50001, unallocatedMinor: 0 })]);
    const cust = await t.http().get(`/v1/customers/${c.id}`).set(bearer(tenant.adminKey)).expect(200);
    expect(cust.body).toMatchObject({ name: 'Dupont SARL', termsDays: 30, externalId: c.externalId });
  });

  it('filters by status, kind and due dates', async () => {
    const c = await aCustomer(s);
    await anInvoice(s, c, { number: 'D-1', dueDate: '2026-03-01' });
    await anInvoice(s, c, { number: 'D-2', dueDate: '2026-03-31' });
    await anInvoice(s, c, { number: 'D-3', dueDate: '2026-04-30', status: 'paid' });
    const q = (query: Record<string, string>) => t.http().get('/v1/invoices').query({ customer: c.id, ...query }).set(bearer(tenant.adminKey)).expect(200);
    expect((await q({ dueAfter: '2026-03-15' })).body.items.map((i: { number: string }) => i.number).sort()).toEqual(['D-2', 'D-3']);
    expect((await q({ dueBefore: '2026-03-15' })).body.items.map((i: { number: string }) => i.number)).toEqual(['D-1']);
    expect((await q({ status: 'paid' })).body.items.map((i: { number: string }) => i.number)).toEqual(['D-3']);
    const bad = await t.http().get('/v1/invoices').query({ dueBefore: 'tomorrow', status: 'lost' }).set(bearer(tenant.adminKey)).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['dueBefore', 'status']);
  });

  it('paginates with a cursor, without gaps or repeats', async () => {
    const c = await aCustomer(s);
    for (let i = 0; i < 7; i++) await anInvoice(s, c, { number: `P-${i}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { body: { items: { number: string }[]; nextCursor: string | null } } = await t
        .http()
        .get('/v1/invoices')
        .query({ customer: c.id, limit: 3, ...(cursor ? { cursor } : {}) })
        .set(bearer(tenant.adminKey))
        .expect(200);
      seen.push(...res.body.items.map((i) => i.number));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(['P-0', 'P-1', 'P-2', 'P-3', 'P-4', 'P-5', 'P-6']);
    await t.http().get('/v1/invoices').query({ cursor: 'garbage' }).set(bearer(tenant.adminKey)).expect(400);
  });
});
