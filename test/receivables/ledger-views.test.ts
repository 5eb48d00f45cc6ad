import { AGED_BALANCE_SQL, AGED_BALANCE_TOP_SQL } from '../../src/dunning/analytics/aged-balance.query';
import { ALERT_CONDITIONS_SQL } from '../../src/dunning/analytics/alerts.query';
import { DSO_SQL } from '../../src/dunning/analytics/dso.query';
import { DsoService } from '../../src/dunning/analytics/dso.service';
import { ENCOURS_SQL, ENCOURS_TOTALS_SQL } from '../../src/dunning/analytics/encours.query';
import { FORECAST_SQL } from '../../src/dunning/analytics/forecast.query';
import type { LedgerView } from '../../src/dunning/analytics/open-items.query';
import { PAYER_SCORE_SQL } from '../../src/dunning/analytics/payer-score.query';
import { addDays } from '../../src/dunning/analytics/report-context.service';
import { DashboardService } from '../../src/dashboard/dashboard.service';
import { createTenant, startTestApp, TestApp } from '../helpers/app';
import { aConnection, aCustomer, anAllocation, anInvoice, aPayment, LedgerScope } from '../helpers/factories';

/**
 * The historical ledger view (every allocation in force at the date, joined to its ends) against
 * the recent one (today's maintained amounts, corrected by the allocations not yet in force), and
 * the tenant-wide DSO query against the DSO report, at dates before, between and after every
 * event of a ledger holding what "in force at a date" must get right:
 * - allocations dated after their payment, before their payment (due or not yet due at the
 *   date), before their invoice's issue;
 * - a tombstoned allocation; a void invoice and a tombstoned invoice still holding payments;
 *   a tombstoned payment still allocated; a void credit note still allocated;
 * - a credit note lettered to an invoice, a credit note in the invoice column refunded by a
 *   payment, an invoice in the credit-note column;
 * - one payment split over two invoices at two dates, and a second currency.
 */
describe('ledger views and tenant DSO at past dates', () => {
  let t: TestApp;
  let tenantId: string;
  const dates: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    tenantId = (await createTenant(t)).tenantId;
    const s: LedgerScope = { ds: t.ds, tenantId, connectionId: await aConnection(t.ds, tenantId) };
    const kappa = await aCustomer(s, { externalId: 'KAPPA', name: 'Kappa SA' });
    const lambda = await aCustomer(s, { externalId: 'LAMBDA', name: 'Lambda Ltd', currency: 'USD' });
    const inv = (number: string, issueDate: string, dueDate: string | null, totalMinor: number, over: { kind?: 'invoice' | 'credit_note'; status?: string } = {}) =>
      anInvoice(s, kappa, { number, issueDate, dueDate, totalMinor, ...over });
    const pay = (date: string, amountMinor: number) => aPayment(s, kappa, { date, amountMinor });
    const alloc = (to: { invoiceId: string; paymentId?: string; creditNoteId?: string }, amountMinor: number, date: string) =>
      anAllocation(s, to, { amountMinor, date });

    const k1 = await inv('K1', '2025-11-05', '2025-12-05', 40000);
    await alloc({ invoiceId: k1.id, paymentId: (await pay('2025-12-10', 40000)).id }, 40000, '2025-12-12');
    const k2 = await inv('K2', '2025-11-20', '2025-12-20', 30000);
    await alloc({ invoiceId: k2.id, paymentId: (await pay('2026-01-20', 30000)).id }, 30000, '2026-01-05');
    const p3 = await pay('2026-01-02', 25000);
    const k3 = await inv('K3', '2026-01-10', '2026-02-09', 25000);
    await alloc({ invoiceId: k3.id, paymentId: p3.id }, 25000, '2026-01-02');
    const k4 = await inv('K4', '2025-12-01', '2025-12-31', 18000);
    const gone = await alloc({ invoiceId: k4.id, paymentId: (await pay('2025-12-20', 18000)).id }, 18000, '2025-12-20');
    await t.ds.query(`UPDATE allocations SET deleted_at = now() WHERE id = $1`, [gone]);
    const kv = await inv('KV', '2025-12-03', '2026-01-02', 60000, { status: 'void' });
    await alloc({ invoiceId: kv.id, paymentId: (await pay('2025-12-15', 20000)).id }, 20000, '2025-12-15');
    const kt = await inv('KT', '2025-12-04', '2026-01-03', 15000);
    await alloc({ invoiceId: kt.id, paymentId: (await pay('2025-12-28', 15000)).id }, 15000, '2025-12-28');
    await t.ds.query(`UPDATE invoices SET deleted_at = now() WHERE id = $1`, [kt.id]);
    const k5 = await inv('K5', '2026-01-15', '2026-02-14', 22000);
    const pd = await pay('2026-02-01', 22000);
    await alloc({ invoiceId: k5.id, paymentId: pd.id }, 22000, '2026-02-01');
    await t.ds.query(`UPDATE payments SET deleted_at = now() WHERE id = $1`, [pd.id]);
    const k6 = await inv('K6', '2026-01-20', '2026-02-19', 50000);
    const c1 = await inv('C1', '2026-02-05', null, 8000, { kind: 'credit_note' });
    await alloc({ invoiceId: k6.id, creditNoteId: c1.id }, 8000, '2026-02-06');
    const cv = await inv('CV', '2026-02-07', null, 3000, { kind: 'credit_note', status: 'void' });
    await alloc({ invoiceId: k6.id, creditNoteId: cv.id }, 3000, '2026-02-07');
    const c2 = await inv('C2', '2026-01-25', null, 6000, { kind: 'credit_note' });
    await alloc({ invoiceId: c2.id, paymentId: (await pay('2026-02-12', 6000)).id }, 6000, '2026-02-12');
    const k7 = await inv('K7', '2026-02-10', '2026-03-12', 70000);
    const k8 = await inv('K8', '2026-02-15', '2026-03-17', 9000);
    await alloc({ invoiceId: k7.id, creditNoteId: k8.id }, 9000, '2026-02-20');
    const split = await pay('2026-03-01', 45000);
    const k9 = await inv('K9', '2026-02-20', '2026-03-22', 20000);
    const k10 = await inv('K10', '2026-02-25', '2026-03-27', 35000);
    await alloc({ invoiceId: k9.id, paymentId: split.id }, 20000, '2026-03-01');
    await alloc({ invoiceId: k10.id, paymentId: split.id }, 25000, '2026-03-20');
    await pay('2026-03-25', 5000);
    const k11 = await inv('K11', '2026-03-01', '2026-04-15', 12000);
    await alloc({ invoiceId: k11.id, paymentId: (await pay('2026-03-20', 12000)).id }, 12000, '2026-03-10');

    const l1 = await anInvoice(s, lambda, { number: 'L1', issueDate: '2025-12-10', dueDate: '2026-01-09', currency: 'USD', totalMinor: 90000 });
    const lp = await aPayment(s, lambda, { date: '2026-02-15', currency: 'USD', amountMinor: 60000 });
    await anAllocation(s, { invoiceId: l1.id, paymentId: lp.id }, { amountMinor: 60000, date: '2026-02-16', currency: 'USD' });
    await t.ds.query('ANALYZE');

    for (let d = '2025-11-01'; d <= '2026-04-10'; d = addDays(d, 9)) dates.push(d);
  });

  afterAll(() => t.close());

  it('gives the same rows in the recent and historical views at every date', async () => {
    const sorted = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).sort();
    let nonEmpty = 0;
    for (const asOf of dates) {
      const from = addDays(asOf, -89);
      const queries: Array<[string, Record<LedgerView, string>, unknown[]]> = [
        ['aged balance', AGED_BALANCE_SQL, [tenantId, asOf, [1, 31, 61, 91], null]],
        ['aged balance top rows', AGED_BALANCE_TOP_SQL, [tenantId, asOf, [1, 31, 61, 91], null, 5]],
        ['encours', ENCOURS_SQL, [tenantId, asOf, null, null]],
        ['encours totals', ENCOURS_TOTALS_SQL, [tenantId, asOf, null, null]],
        ['DSO', DSO_SQL, [tenantId, asOf, from, addDays(from, -90)]],
        ['forecast', FORECAST_SQL, [tenantId, asOf, null]],
        ['payer scores', PAYER_SCORE_SQL, [tenantId, asOf, null]],
        ['alerts', ALERT_CONDITIONS_SQL, [tenantId, asOf]],
      ];
      for (const [label, sql, params] of queries) {
        const historical = sorted(await t.ds.query(sql.historical, params));
        const recent = sorted(await t.ds.query(sql.recent, params));
        expect({ asOf, label, rows: historical }).toEqual({ asOf, label, rows: recent });
        if (label === 'aged balance' && historical.length > 0) nonEmpty++;
      }
    }
    expect(nonEmpty).toBeGreaterThan(10);
  });

  it('aged balance as of 2026-02-10 (worked example)', async () => {
    const rows: Array<{ customer_ref: string; currency: string; bucket: number; amount: string }> = await t.ds.query(AGED_BALANCE_SQL.historical, [
      tenantId, '2026-02-10', [1, 31, 61, 91], null,
    ]);
    // Kappa, not yet due: K5 220.00 (its payment tombstoned), K6 500.00 − 80.00 (C1; the void CV does not count), K7 700.00
    // issued that day: 1 340.00. 16 days: C2 −60.00 (refunded only on 02-12). 31–60 days: K4 180.00 (its allocation
    // tombstoned) and its payment −180.00, the payments on the void KV −200.00 and the tombstoned KT −150.00: −350.00.
    // K1, K2 (its allocation in force once paid, 01-20), K3 (paid before it was issued) are settled. Lambda: L1 900.00.
    const amounts = rows.map((r) => `${r.customer_ref} ${r.currency} ${r.bucket} ${r.amount}`).sort();
    expect(amounts).toEqual(['KAPPA EUR 0 134000', 'KAPPA EUR 1 -6000', 'KAPPA EUR 2 -35000', 'LAMBDA USD 2 90000']);
  });

  it("gives the DSO report's tenant lines from the tenant-wide query at every date, and the trend's points", async () => {
    const dso = t.app.get(DsoService);
    for (const asOf of dates) {
      const { customers: _customers, ...full } = await dso.report(tenantId, { asOf });
      expect(await dso.tenantReport(tenantId, { asOf })).toEqual(full);
    }
    const trend = await t.app.get(DashboardService).dsoTrend(tenantId, '2026-04-10');
    for (const m of trend.months) {
      const r = await dso.report(tenantId, { asOf: m.asOf });
      expect({ asOf: m.asOf, lines: m.lines }).toEqual({
        asOf: m.asOf,
        lines: r.tenant.map((l) => ({ currency: l.currency, dso: l.dso, bestPossibleDso: l.bestPossibleDso, averageDaysDelinquent: l.averageDaysDelinquent })),
      });
    }
  });
});
