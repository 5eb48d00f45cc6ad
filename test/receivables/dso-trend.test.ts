import { bearer, createTenant, startTestApp, TestApp, TestTenant } from '../helpers/app';
import { DsoService } from '../../src/dunning/analytics/dso.service';
import { ReportContextService } from '../../src/dunning/analytics/report-context.service';
import { aConnection, aCustomer, anAllocation, anInvoice, aPayment, LedgerScope } from '../helpers/factories';

type TrendMonth = { month: string; asOf: string; from: string; lines: Array<{ currency: string; dso: number | null; bestPossibleDso: number | null; averageDaysDelinquent: number | null }> };

/**
 * The dashboard's 12-month DSO trend and the DSO report's `detail=totals` (one tenant-wide query)
 * against the full DSO report's tenant lines, on a ledger with what the shortcut must get right:
 * Alpha (EUR): I1 paid before it is due; I2 allocated on a date before its payment's date; I3
 *   due on the last month end, partly credited; a void invoice still holding a payment's
 *   allocation; a deleted payment allocated to I4; a credit note refunded (credit note in the
 *   invoice column); an invoice in the credit-note column.
 * Beta (USD): one invoice older than every countback year, open: a line of nulls every month.
 * Gamma (GBP): old and settled: no line. Delta (CHF): old invoice paid in May 2025: a line while
 *   it is open (April), then while the payment is in the period or the one before.
 */
describe('tenant DSO in one query: 12-month trend and detail=totals', () => {
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createTenant(t);
    const s: LedgerScope = { ds: t.ds, tenantId: tenant.tenantId, connectionId: await aConnection(t.ds, tenant.tenantId) };
    const alpha = await aCustomer(s, { externalId: 'ALPHA', name: 'Alpha SA' });
    const beta = await aCustomer(s, { externalId: 'BETA', name: 'Beta Inc', currency: 'USD' });
    const gamma = await aCustomer(s, { externalId: 'GAMMA', name: 'Gamma Ltd', currency: 'GBP' });
    const delta = await aCustomer(s, { externalId: 'DELTA', name: 'Delta AG', currency: 'CHF' });
    const inv = (c: typeof alpha, number: string, issueDate: string, dueDate: string | null, totalMinor: number, over: { currency?: string; kind?: 'invoice' | 'credit_note'; status?: string } = {}) =>
      anInvoice(s, c, { number, issueDate, dueDate, totalMinor, ...over });
    const pay = (c: typeof alpha, date: string, amountMinor: number, currency = 'EUR') => aPayment(s, c, { date, amountMinor, currency });

    const i1 = await inv(alpha, 'I1', '2025-06-10', '2025-07-10', 10000);
    await anAllocation(s, { invoiceId: i1.id, paymentId: (await pay(alpha, '2025-06-25', 10000)).id }, { amountMinor: 10000, date: '2025-06-25' });
    const i2 = await inv(alpha, 'I2', '2025-09-20', '2025-10-20', 20000);
    await anAllocation(s, { invoiceId: i2.id, paymentId: (await pay(alpha, '2025-10-05', 20000)).id }, { amountMinor: 20000, date: '2025-09-28' });
    const i3 = await inv(alpha, 'I3', '2026-01-15', '2026-03-31', 30000);
    const cn1 = await inv(alpha, 'CN1', '2026-02-10', null, 5000, { kind: 'credit_note' });
    await anAllocation(s, { invoiceId: i3.id, creditNoteId: cn1.id }, { amountMinor: 5000, date: '2026-02-10' });
    const iv = await inv(alpha, 'IV', '2025-11-10', '2025-12-10', 100000, { status: 'void' });
    await anAllocation(s, { invoiceId: iv.id, paymentId: (await pay(alpha, '2025-11-20', 40000)).id }, { amountMinor: 40000, date: '2025-11-20' });
    const i4 = await inv(alpha, 'I4', '2026-02-20', '2026-03-22', 50000);
    const pd = await pay(alpha, '2026-02-25', 50000);
    await anAllocation(s, { invoiceId: i4.id, paymentId: pd.id }, { amountMinor: 50000, date: '2026-02-25' });
    await t.ds.query(`UPDATE payments SET deleted_at = now() WHERE id = $1`, [pd.id]);
    const cn2 = await inv(alpha, 'CN2', '2025-12-01', null, 8000, { kind: 'credit_note' });
    await anAllocation(s, { invoiceId: cn2.id, paymentId: (await pay(alpha, '2025-12-15', 8000)).id }, { amountMinor: 8000, date: '2025-12-15' });
    const i5 = await inv(alpha, 'I5', '2026-03-01', '2026-04-15', 60000);
    const i6 = await inv(alpha, 'I6', '2026-03-05', '2026-04-05', 7000);
    await anAllocation(s, { invoiceId: i5.id, creditNoteId: i6.id }, { amountMinor: 7000, date: '2026-03-06' });

    await inv(beta, 'U1', '2024-01-10', '2024-02-09', 90000, { currency: 'USD' });
    const g1 = await inv(gamma, 'G1', '2024-02-01', '2024-03-02', 30000, { currency: 'GBP' });
    await anAllocation(s, { invoiceId: g1.id, paymentId: (await pay(gamma, '2024-03-01', 30000, 'GBP')).id }, { amountMinor: 30000, date: '2024-03-01', currency: 'GBP' });
    const k1 = await inv(delta, 'K1', '2024-03-01', '2024-03-31', 25000, { currency: 'CHF' });
    await anAllocation(s, { invoiceId: k1.id, paymentId: (await pay(delta, '2025-05-15', 25000, 'CHF')).id }, { amountMinor: 25000, date: '2025-05-15', currency: 'CHF' });
    await t.ds.query('ANALYZE');
  });

  afterAll(() => t.close());

  const trend = async (asOf: string): Promise<{ asOf: string; months: TrendMonth[] }> =>
    (await t.http().get('/v1/dashboard/dso-trend').query({ asOf }).set(bearer(tenant.adminKey)).expect(200)).body;

  /** The trend as the DSO report gives it, one report per month end. */
  const fromReports = async (months: TrendMonth[]): Promise<TrendMonth[]> => {
    const out: TrendMonth[] = [];
    for (const m of months) {
      const r = (await t.http().get('/v1/reports/dso').query({ asOf: m.asOf }).set(bearer(tenant.adminKey)).expect(200)).body;
      out.push({
        month: r.to.slice(0, 7),
        asOf: r.to,
        from: r.from,
        lines: r.tenant.map((l: TrendMonth['lines'][number]) => ({ currency: l.currency, dso: l.dso, bestPossibleDso: l.bestPossibleDso, averageDaysDelinquent: l.averageDaysDelinquent })),
      });
    }
    return out;
  };

  it("gives the DSO report's tenant figures at each of the 12 month ends", async () => {
    const res = await trend('2026-03-31');
    expect(res.months.map((m) => m.asOf)).toEqual([
      '2025-04-30', '2025-05-31', '2025-06-30', '2025-07-31', '2025-08-31', '2025-09-30', '2025-10-31', '2025-11-30', '2025-12-31', '2026-01-31', '2026-02-28', '2026-03-31',
    ]);
    expect(res.months).toEqual(await fromReports(res.months));
    const currencies = Object.fromEntries(res.months.map((m) => [m.month, m.lines.map((l) => l.currency).join(' ')]));
    expect(currencies).toEqual({
      '2025-04': 'CHF USD', '2025-05': 'CHF USD', '2025-06': 'CHF EUR USD', '2025-07': 'CHF EUR USD', '2025-08': 'CHF EUR USD', '2025-09': 'CHF EUR USD',
      '2025-10': 'CHF EUR USD', '2025-11': 'EUR USD', '2025-12': 'EUR USD', '2026-01': 'EUR USD', '2026-02': 'EUR USD', '2026-03': 'EUR USD',
    });
    // March 2026, EUR: open I3 300 − 50, I4 500 (its payment deleted), I5 600 − 70 (I6 in the credit-note column, so I6 is
    // settled), the payment on the void invoice −400: 880.00; sales 300 + 500 + 600 + 70 − 50 = 1 420.00; not yet due
    // I3 (due that day) 250 + I5 530 = 780.00. DSO 880 / 1 420 × 90 = 55.8, best 780 / 1 420 × 90 = 49.4, delinquent 6.4.
    expect(res.months[11].lines).toEqual([
      { currency: 'EUR', dso: 55.8, bestPossibleDso: 49.4, averageDaysDelinquent: 6.4 },
      { currency: 'USD', dso: null, bestPossibleDso: null, averageDaysDelinquent: null },
    ]);
  });

  it("detail=totals gives the full report's tenant lines (days to pay included), with or without a period start", async () => {
    const dates = ['2025-04-30', '2025-06-30', '2025-10-05', '2025-12-31', '2026-02-28', '2026-03-15', '2026-03-31'];
    for (const asOf of dates) {
      for (const from of [undefined, '2025-01-01', asOf]) {
        const query = { asOf, ...(from ? { from } : {}) };
        const full = (await t.http().get('/v1/reports/dso').query(query).set(bearer(tenant.adminKey)).expect(200)).body;
        const totals = (await t.http().get('/v1/reports/dso').query({ ...query, detail: 'totals' }).set(bearer(tenant.adminKey)).expect(200)).body;
        expect({ query, totals }).toEqual({ query, totals: { asOf: full.asOf, from: full.from, to: full.to, days: full.days, tenant: full.tenant } });
      }
    }
    // As of 2025-10-05: I2 (issued 09-20) paid that day, its allocation dated 09-28: 15 days, nothing open; I1 (15 days) in the period before.
    const oct = (await t.http().get('/v1/reports/dso').query({ asOf: '2025-10-05', detail: 'totals' }).set(bearer(tenant.adminKey)).expect(200)).body;
    expect(oct.tenant.find((l: { currency: string }) => l.currency === 'EUR')).toMatchObject({ receivablesMinor: 0, averageDaysToPay: 15, previousAverageDaysToPay: 15 });
  });

  it("as of today, detail=totals (the report's sums per currency) gives its tenant lines: a currency only paid, one only open", async () => {
    const other = await createTenant(t);
    const s: LedgerScope = { ds: t.ds, tenantId: other.tenantId, connectionId: await aConnection(t.ds, other.tenantId) };
    const omega = await aCustomer(s, { externalId: 'OMEGA' });
    const yoko = await aCustomer(s, { externalId: 'YOKO', currency: 'JPY' });
    const sven = await aCustomer(s, { externalId: 'SVEN', currency: 'SEK' });
    const gina = await aCustomer(s, { externalId: 'GINA', currency: 'GBP' });
    const o1 = await anInvoice(s, omega, { number: 'O1', issueDate: '2026-01-10', dueDate: '2026-02-09', totalMinor: 40000 });
    await anAllocation(s, { invoiceId: o1.id, paymentId: (await aPayment(s, omega, { date: '2026-02-19', amountMinor: 40000 })).id }, { amountMinor: 40000, date: '2026-02-19' });
    await anInvoice(s, omega, { number: 'O2', issueDate: '2026-03-01', dueDate: '2026-04-30', totalMinor: 50000 });
    await anInvoice(s, omega, { number: 'OC', kind: 'credit_note', issueDate: '2026-03-10', dueDate: null, totalMinor: 10000 });
    const y1 = await anInvoice(s, yoko, { number: 'Y1', issueDate: '2024-11-01', dueDate: '2024-12-01', totalMinor: 30000, currency: 'JPY' });
    await anAllocation(s, { invoiceId: y1.id, paymentId: (await aPayment(s, yoko, { date: '2025-11-20', amountMinor: 30000, currency: 'JPY' })).id },
      { amountMinor: 30000, date: '2025-11-20', currency: 'JPY' });
    await aPayment(s, sven, { date: '2025-02-01', amountMinor: 15000, currency: 'SEK' });
    const g1 = await anInvoice(s, gina, { number: 'G1', issueDate: '2024-06-01', dueDate: '2024-07-01', totalMinor: 20000, currency: 'GBP' });
    await anAllocation(s, { invoiceId: g1.id, paymentId: (await aPayment(s, gina, { date: '2024-07-01', amountMinor: 20000, currency: 'GBP' })).id },
      { amountMinor: 20000, date: '2024-07-01', currency: 'GBP' });

    expect((await t.app.get(ReportContextService).resolve(other.tenantId, '2026-03-31')).view).toBe('current');
    const dso = t.app.get(DsoService);
    const { customers: _customers, ...full } = await dso.report(other.tenantId, { asOf: '2026-03-31' });
    const totals = await dso.tenantReport(other.tenantId, { asOf: '2026-03-31' });
    expect(totals).toEqual(full);
    // EUR: open O2 500.00 and OC −100.00; sales 400 + 500 − 100 = 800.00 (all in March but O1): DSO 400 / 800 × 90 = 45.0,
    // best 500 / 800 × 90 = 56.3, countback 400 of March's 400 = 31 days; O1 paid 40 days after its issue. JPY: Y1 paid in
    // the previous period, 384 days after its issue; nothing open, no sales. SEK: an unallocated payment. GBP: settled, no line.
    expect(totals.tenant).toEqual([
      { currency: 'EUR', receivablesMinor: 40000, currentReceivablesMinor: 50000, creditSalesMinor: 80000, dso: 45, countbackDso: 31, bestPossibleDso: 56.3,
        averageDaysDelinquent: -11.3, averageDaysToPay: 40, previousAverageDaysToPay: null, trendDays: null },
      { currency: 'JPY', receivablesMinor: 0, currentReceivablesMinor: 0, creditSalesMinor: 0, dso: null, countbackDso: 0, bestPossibleDso: null,
        averageDaysDelinquent: null, averageDaysToPay: null, previousAverageDaysToPay: 384, trendDays: null },
      { currency: 'SEK', receivablesMinor: -15000, currentReceivablesMinor: 0, creditSalesMinor: 0, dso: null, countbackDso: 0, bestPossibleDso: null,
        averageDaysDelinquent: null, averageDaysToPay: null, previousAverageDaysToPay: null, trendDays: null },
    ]);
  });

  it('at a date within a month, the last point is that date', async () => {
    const res = await trend('2026-03-15');
    expect(res.months[11].asOf).toBe('2026-03-15');
    expect(res.months).toEqual(await fromReports(res.months));
  });
});
