import { AlertsService } from '../../src/dunning/analytics/alerts.service';
import { createTenant, startTestApp, TestApp, TestTenant } from '../helpers/app';
import { aConnection, aCustomer, anAllocation, anInvoice, aPayment, LedgerScope } from '../helpers/factories';

/**
 * Which partly settled invoices raise `partial_payment`, as of 2026-06-30 (Kappa SA):
 *   K1 400.00, 100.00 paid by a payment on 2026-06-01: raised
 *   K2 400.00, 150.00 settled by credit note AV-K2 only: not raised (no payment)
 *   K3 400.00, 50.00 paid by a payment dated 2025-01-15, outside the habit's 365 days: raised
 *   K4 400.00, 120.00 paid by a payment recorded under another tenant: raised (the per-invoice
 *      rule looks at the invoice's allocations, whoever recorded them)
 * Then a re-evaluation with nothing changed writes nothing, and K1's second payment updates
 * its figures without raising it again.
 */
describe('partial payment alerts', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let s: LedgerScope;
  let kappa: { id: string; externalId: string };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createTenant(t);
    s = { ds: t.ds, tenantId: tenant.tenantId, connectionId: await aConnection(t.ds, tenant.tenantId) };
    kappa = await aCustomer(s, { externalId: 'KAPPA', name: 'Kappa SA' });
    for (const [number, issue, due] of [['K1', '2026-05-01', '2026-05-31'], ['K2', '2026-05-01', '2026-05-31'], ['K3', '2024-12-01', '2024-12-31'], ['K4', '2026-05-01', '2026-05-31']]) {
      ids[number] = (await anInvoice(s, kappa, { number, issueDate: issue, dueDate: due, totalMinor: 40000 })).id;
    }
    const p1 = await aPayment(s, kappa, { date: '2026-06-01', amountMinor: 10000 });
    await anAllocation(s, { invoiceId: ids.K1, paymentId: p1.id }, { amountMinor: 10000, date: '2026-06-01' });
    const cn = await anInvoice(s, kappa, { number: 'AV-K2', kind: 'credit_note', issueDate: '2026-06-05', dueDate: null, totalMinor: 15000 });
    await anAllocation(s, { invoiceId: ids.K2, creditNoteId: cn.id }, { amountMinor: 15000, date: '2026-06-05' });
    const p3 = await aPayment(s, kappa, { date: '2025-01-15', amountMinor: 5000 });
    await anAllocation(s, { invoiceId: ids.K3, paymentId: p3.id }, { amountMinor: 5000, date: '2025-01-15' });
    const other = await createTenant(t, 'Other SAS');
    const o: LedgerScope = { ds: t.ds, tenantId: other.tenantId, connectionId: await aConnection(t.ds, other.tenantId) };
    const p4 = await aPayment(o, await aCustomer(o, { externalId: 'KAPPA' }), { date: '2026-06-10', amountMinor: 12000 });
    await anAllocation(o, { invoiceId: ids.K4, paymentId: p4.id }, { amountMinor: 12000, date: '2026-06-10' });
    t.clock.set('2026-06-30T08:00:00Z');
  });

  afterAll(() => t.close());

  const partials = async () =>
    (await t.app.get(AlertsService).list(tenant.tenantId, { kind: 'partial_payment' }))
      .map((a) => [a.figures.number, a.figures.paidMinor, a.figures.openMinor])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));

  it('raises partial payments paid by a payment, old or recorded elsewhere, not by a credit note alone', async () => {
    await t.app.get(AlertsService).evaluate(tenant.tenantId);
    expect(await partials()).toEqual([
      ['K1', 10000, 30000],
      ['K3', 5000, 35000],
      ['K4', 12000, 28000],
    ]);
  });

  it('writes nothing when nothing changed, and updates changed figures in place', async () => {
    const before = await t.ds.query(`SELECT id, xmin::text AS xmin FROM alerts WHERE tenant_id = $1 ORDER BY id`, [tenant.tenantId]);
    expect(await t.app.get(AlertsService).evaluate(tenant.tenantId)).toMatchObject({ raised: 0, cleared: 0 });
    expect(await t.ds.query(`SELECT id, xmin::text AS xmin FROM alerts WHERE tenant_id = $1 ORDER BY id`, [tenant.tenantId])).toEqual(before);

    const p = await aPayment(s, kappa, { date: '2026-06-20', amountMinor: 5000 });
    await anAllocation(s, { invoiceId: ids.K1, paymentId: p.id }, { amountMinor: 5000, date: '2026-06-20' });
    expect(await t.app.get(AlertsService).evaluate(tenant.tenantId)).toMatchObject({ raised: 0, cleared: 0 });
    expect(await partials()).toEqual([
      ['K1', 15000, 25000],
      ['K3', 5000, 35000],
      ['K4', 12000, 28000],
    ]);
  });
});
