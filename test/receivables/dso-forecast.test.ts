import { bearer, createTenant, startTestApp, TestApp, TestTenant } from '../helpers/app';
import { aConnection, aCustomer, anAllocation, anInvoice, aPayment, LedgerScope } from '../helpers/factories';

/**
 * As of 2026-03-31, period 2026-01-01 … 2026-03-31 (90 days).
 * Eta (EUR, terms 30):
 *   H0 500.00 issued 2025-10-01 due 2025-10-31, paid 2025-12-01 (61 days after issue, 31 beyond terms)
 *   H1 1 000.00 issued 2026-01-10 due 2026-02-09, paid 2026-02-19 (40 days; 10 beyond)
 *   H2 1 000.00 issued 2026-02-10 due 2026-03-12, 300.00 paid 2026-03-22 (40 days; 10 beyond), 700.00 open
 *   H3 1 000.00 issued 2026-03-05 due 2026-04-04, open
 *   CN 100.00 issued 2026-03-20, unallocated
 * Theta (USD): T1 500.00 due 2026-03-31; T2 200.00 due 2026-04-14, disputed; T3 70.00 due 2026-07-30.
 */
describe('DSO and cash forecast', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let eta: { id: string; externalId: string };

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createTenant(t);
    const s: LedgerScope = { ds: t.ds, tenantId: tenant.tenantId, connectionId: await aConnection(t.ds, tenant.tenantId) };
    eta = await aCustomer(s, { externalId: 'ETA', name: 'Eta SAS' });
    const theta = await aCustomer(s, { externalId: 'THETA', name: 'Theta Inc', currency: 'USD' });
    const paid = async (number: string, issue: string, due: string, total: number, payDate: string, amount: number) => {
      const inv = await anInvoice(s, eta, { number, issueDate: issue, dueDate: due, totalMinor: total });
      const p = await aPayment(s, eta, { date: payDate, amountMinor: amount });
      await anAllocation(s, { invoiceId: inv.id, paymentId: p.id }, { amountMinor: amount, date: payDate });
    };
    await paid('H0', '2025-10-01', '2025-10-31', 50000, '2025-12-01', 50000);
    await paid('H1', '2026-01-10', '2026-02-09', 100000, '2026-02-19', 100000);
    await paid('H2', '2026-02-10', '2026-03-12', 100000, '2026-03-22', 30000);
    await anInvoice(s, eta, { number: 'H3', issueDate: '2026-03-05', dueDate: '2026-04-04', totalMinor: 100000 });
    await anInvoice(s, eta, { number: 'CN', kind: 'credit_note', issueDate: '2026-03-20', dueDate: null, totalMinor: 10000 });
    await anInvoice(s, theta, { number: 'T1', issueDate: '2026-03-01', dueDate: '2026-03-31', currency: 'USD', totalMinor: 50000 });
    const t2 = await anInvoice(s, theta, { number: 'T2', issueDate: '2026-03-15', dueDate: '2026-04-14', currency: 'USD', totalMinor: 20000 });
    await anInvoice(s, theta, { number: 'T3', issueDate: '2026-03-30', dueDate: '2026-07-30', currency: 'USD', totalMinor: 7000 });
    await t.ds.query(`INSERT INTO disputes (tenant_id, invoice_id, customer_id, reason, opened_at, opened_by) VALUES ($1, $2, $3, 'price', '2026-03-20T09:00:00Z', 'k')`,
      [tenant.tenantId, t2.id, theta.id]);
  });

  afterAll(() => t.close());

  it('computes DSO, countback, best possible DSO, delinquent days and days to pay with its trend', async () => {
    const res = await t.http().get('/v1/reports/dso?asOf=2026-03-31').set(bearer(tenant.adminKey)).expect(200);
    // Eta: receivables 700 + 1 000 − 100 = 1 600.00; sales 3 000 − 100 = 2 900.00; not due 1 000.00.
    // DSO 1 600 / 2 900 × 90 = 49.7; best 1 000 / 2 900 × 90 = 31.0; delinquent 18.7.
    // Countback: March sales 900.00 (31 days), then 700.00 of February's 1 000.00: 31 + 0.7 × 28 = 50.6.
    // Days to pay: (1 000 × 40 + 300 × 40) / 1 300 = 40.0; previous period (H0): 61.0; trend −21.0.
    const etaLine = {
      currency: 'EUR', receivablesMinor: 160000, currentReceivablesMinor: 100000, creditSalesMinor: 290000,
      dso: 49.7, countbackDso: 50.6, bestPossibleDso: 31, averageDaysDelinquent: 18.7, averageDaysToPay: 40, previousAverageDaysToPay: 61, trendDays: -21,
    };
    // Theta: 770.00 receivable, all issued and not yet due in the period: 90.0, countback 31.0 (March covers it).
    const thetaLine = {
      currency: 'USD', receivablesMinor: 77000, currentReceivablesMinor: 77000, creditSalesMinor: 77000,
      dso: 90, countbackDso: 31, bestPossibleDso: 90, averageDaysDelinquent: 0, averageDaysToPay: null, previousAverageDaysToPay: null, trendDays: null,
    };
    expect(res.body).toEqual({
      asOf: '2026-03-31', from: '2026-01-01', to: '2026-03-31', days: 90,
      tenant: [etaLine, thetaLine],
      customers: [
        { customerId: eta.id, customerRef: 'ETA', name: 'Eta SAS', ...etaLine },
        { customerId: expect.any(String), customerRef: 'THETA', name: 'Theta Inc', ...thetaLine },
      ],
    });
  });

  it('takes a chosen period and a customer filter', async () => {
    const res = await t.http().get(`/v1/reports/dso?asOf=2026-03-31&from=2026-03-01&customer=${eta.id}`).set(bearer(tenant.adminKey)).expect(200);
    // March: sales 900.00 over 31 days; 1 600 / 900 × 31 = 55.1; best 1 000 / 900 × 31 = 34.4; paid in March: H2 300.00 after 40 days;
    // previous 31 days (2026-01-29 … 2026-02-28): H1 after 40 days.
    expect(res.body.days).toBe(31);
    expect(res.body.customers).toEqual([
      expect.objectContaining({ customerRef: 'ETA', creditSalesMinor: 90000, dso: 55.1, bestPossibleDso: 34.4, averageDaysDelinquent: 20.7, averageDaysToPay: 40, previousAverageDaysToPay: 40, trendDays: 0 }),
    ]);
    await t.http().get('/v1/reports/dso?asOf=2026-03-31&from=2026-04-01').set(bearer(tenant.adminKey)).expect(400);
  });

  it('forecasts receipts per week from open invoices and each customer habit', async () => {
    const res = await t.http().get('/v1/reports/forecast?asOf=2026-03-31').set(bearer(tenant.adminKey)).expect(200);
    expect(res.body.weeks[0]).toEqual({ week: 1, start: '2026-03-31', end: '2026-04-06' });
    expect(res.body.weeks[12]).toEqual({ week: 13, start: '2026-06-23', end: '2026-06-29' });
    // Eta pays 16 days beyond terms ((1 000 × 10 + 300 × 10 + 500 × 31) / 1 800 = 15.8): H2 (due 03-12) is expected
    // at once, week 1; H3 (due 04-04) on 04-20, week 3. Theta has no history: T1 week 1, T3 (07-30) later, T2 disputed.
    const weeks = (entries: Record<number, number>) => Array.from({ length: 13 }, (_, i) => entries[i + 1] ?? 0);
    expect(res.body.currencies).toEqual([
      { currency: 'EUR', weeksMinor: weeks({ 1: 70000, 3: 100000 }), laterMinor: 0, disputedMinor: 0, openMinor: 170000 },
      { currency: 'USD', weeksMinor: weeks({ 1: 50000 }), laterMinor: 7000, disputedMinor: 20000, openMinor: 77000 },
    ]);
    const csv = await t.http().get('/v1/reports/forecast?asOf=2026-03-31&format=csv').set(bearer(tenant.adminKey)).expect(200);
    const lines = csv.text.split('\r\n');
    expect(lines.slice(0, 4)).toEqual(['currency,week,start,end,expected', 'EUR,1,2026-03-31,2026-04-06,700.00', 'EUR,2,2026-04-07,2026-04-13,0.00', 'EUR,3,2026-04-14,2026-04-20,1000.00']);
    expect(lines).toContain('USD,later,,,70.00');
    expect(lines).toContain('USD,disputed,,,200.00');
    // One customer: Eta's invoices, still shifted by Eta's habit.
    const one = await t.http().get(`/v1/reports/forecast?asOf=2026-03-31&customer=${eta.id}`).set(bearer(tenant.adminKey)).expect(200);
    expect(one.body.currencies).toEqual([{ currency: 'EUR', weeksMinor: weeks({ 1: 70000, 3: 100000 }), laterMinor: 0, disputedMinor: 0, openMinor: 170000 }]);
  });
});
