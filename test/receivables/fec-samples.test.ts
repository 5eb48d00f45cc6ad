import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { FecImportService } from '../../src/connectors/fec/fec-import.service';
import { parseMinor } from '../../src/common/money';
import { AGED_BALANCE_SQL, AGED_BALANCE_TOP_SQL } from '../../src/dunning/analytics/aged-balance.query';
import { ALERT_CONDITIONS_SQL } from '../../src/dunning/analytics/alerts.query';
import { DSO_SQL } from '../../src/dunning/analytics/dso.query';
import { ENCOURS_SQL, ENCOURS_TOTALS_SQL } from '../../src/dunning/analytics/encours.query';
import { FORECAST_SQL } from '../../src/dunning/analytics/forecast.query';
import type { LedgerView } from '../../src/dunning/analytics/open-items.query';
import { PAYER_SCORE_SQL } from '../../src/dunning/analytics/payer-score.query';
import { ReportContextService } from '../../src/dunning/analytics/report-context.service';
import { DashboardService } from '../../src/dashboard/dashboard.service';
import { DsoService } from '../../src/dunning/analytics/dso.service';
import { bearer, createTenant, startTestApp, TestApp } from '../helpers/app';

const SAMPLES = path.resolve(__dirname, '../../../shared/fec-samples');
const OPENING_JOURNALS = new Set(['AN', 'ANO', 'RAN', 'OUV']);

/**
 * Reads a sample FEC independently of the importer: the fiscal-year start (the date of the
 * opening entries; without any, the first day of the month of the first entry) and, per
 * customer (CompAuxNum, else CompteNum), the balance over 411*, 413*, 416* at the end of
 * that day: the opening entries plus whatever was booked on the first day itself.
 */
function readSample(name: string): { fyStart: string; opening: Record<string, number> } {
  const text = readFileSync(path.join(SAMPLES, name), 'utf8').replace(/^\uFEFF/, '');
  const [head, ...lines] = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const sep = head.includes('\t') ? '\t' : '|';
  const cols = head.split(sep).map((c) => c.trim().toLowerCase());
  const col = (row: string[], name: string) => (row[cols.indexOf(name)] ?? '').trim();
  const rows = lines.map((line) => line.split(sep));
  const openingRows = rows.filter((row) => OPENING_JOURNALS.has(col(row, 'journalcode').toUpperCase()));
  const first = (openingRows.length ? openingRows : rows).map((row) => col(row, 'ecrituredate')).sort()[0];
  const fyStart = openingRows.length ? first : `${first.slice(0, 6)}01`;
  const opening: Record<string, bigint> = {};
  for (const row of rows) {
    const account = col(row, 'comptenum');
    if (col(row, 'ecrituredate') > fyStart || !/^41[136]/.test(account)) continue;
    const amount = cols.includes('debit')
      ? parseMinor(col(row, 'debit') || '0', { exponent: 2, decimal: ',' }) - parseMinor(col(row, 'credit') || '0', { exponent: 2, decimal: ',' })
      : parseMinor(col(row, 'montant'), { exponent: 2, decimal: ',' }) * (col(row, 'sens') === 'D' ? 1n : -1n);
    const key = col(row, 'compauxnum') || account;
    opening[key] = (opening[key] ?? 0n) + amount;
  }
  return {
    fyStart: `${fyStart.slice(0, 4)}-${fyStart.slice(4, 6)}-${fyStart.slice(6, 8)}`,
    opening: Object.fromEntries(Object.entries(opening).filter(([, v]) => v !== 0n).map(([k, v]) => [k, Number(v)])),
  };
}

const expected = (name: string): Record<string, number> =>
  JSON.parse(readFileSync(path.join(SAMPLES, 'expected', `${name}.balances.json`), 'utf8'));
const nonZero = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== 0).sort(([a], [b]) => a.localeCompare(b)));

/** Every real FEC sample, imported, then reconciled: the figures tie back to the books to the cent. */
describe.each(['lsn_sample_pipe.txt', 'lsn_sample_tab.txt', 'neolegal_0000000001FEC20220831.txt', 'neolegal_111111111FEC20221231.TXT'])('FEC sample %s', (name) => {
  let t: TestApp;
  let key: string;
  let tenantId: string;

  beforeAll(async () => {
    t = await startTestApp();
    const tenant = await createTenant(t);
    key = tenant.adminKey;
    tenantId = tenant.tenantId;
    const imports = t.app.get(FecImportService);
    const { id } = await imports.ensureConnection(tenant.tenantId, 'fec');
    await imports.importFile(tenant.tenantId, id, path.join(SAMPLES, name));
    await t.http().post('/v1/reconciliation/run').set(bearer(key)).expect(200);
  });

  afterAll(() => t.close());

  it('aged balance: each customer and the total equal the FEC balances', async () => {
    const res = await t.http().get('/v1/reports/aged-balance?asOf=2026-01-15').set(bearer(key)).expect(200);
    const rows = res.body.rows as Array<{ customerRef: string; currency: string; totalMinor: number; bucketsMinor: Record<string, number> }>;
    expect(nonZero(Object.fromEntries(rows.map((r) => [r.customerRef, r.totalMinor])))).toEqual(nonZero(expected(name)));
    const total = Object.values(expected(name)).reduce((a, v) => a + v, 0);
    expect(res.body.totals).toEqual([expect.objectContaining({ currency: 'EUR', totalMinor: total })]);
    for (const r of rows) expect(Object.values(r.bucketsMinor).reduce((a, v) => a + v, 0)).toBe(r.totalMinor);
    const top = await t.http().get('/v1/reports/aged-balance?asOf=2026-01-15&top=10').set(bearer(key)).expect(200);
    expect(top.body).toEqual({ ...res.body, rows: [...rows].sort((a, b) => b.totalMinor - a.totalMinor).slice(0, 10) });
  });

  it("encours: each customer's outstanding equals its FEC balance", async () => {
    const res = await t.http().get('/v1/reports/encours?asOf=2026-01-15').set(bearer(key)).expect(200);
    const customers = res.body.customers as Array<{ customerRef: string; totalMinor: number; notDueMinor: number; overdueMinor: number; unallocatedMinor: number }>;
    expect(nonZero(Object.fromEntries(customers.map((c) => [c.customerRef, c.totalMinor])))).toEqual(nonZero(expected(name)));
    for (const c of customers) expect(c.notDueMinor + c.overdueMinor + c.unallocatedMinor).toBe(c.totalMinor);
    const totals = await t.http().get('/v1/reports/encours?asOf=2026-01-15&detail=totals').set(bearer(key)).expect(200);
    expect(totals.body).toEqual({ asOf: '2026-01-15', totals: res.body.totals });
  });

  it("aged balance as of the fiscal-year start equals the opening balances (with that day's own entries)", async () => {
    const { fyStart, opening } = readSample(name);
    const res = await t.http().get(`/v1/reports/aged-balance?asOf=${fyStart}`).set(bearer(key)).expect(200);
    const rows = res.body.rows as Array<{ customerRef: string; totalMinor: number }>;
    expect(nonZero(Object.fromEntries(rows.map((r) => [r.customerRef, r.totalMinor])))).toEqual(nonZero(opening));
  });

  it("the 12-month DSO trend and detail=totals (tenant-wide query) equal the DSO report's tenant lines", async () => {
    const [{ latest }] = await t.ds.query(`SELECT to_char(max(issue_date), 'YYYY-MM-DD') AS latest FROM invoices WHERE tenant_id = $1`, [tenantId]);
    const dso = t.app.get(DsoService);
    for (const asOf of [latest, '2026-01-15']) {
      const trend = await t.app.get(DashboardService).dsoTrend(tenantId, asOf);
      const reports = [];
      for (const m of trend.months) reports.push(await dso.report(tenantId, { asOf: m.asOf }));
      expect(trend.months.map((m) => m.lines)).toEqual(
        reports.map((r) => r.tenant.map((l) => ({ currency: l.currency, dso: l.dso, bestPossibleDso: l.bestPossibleDso, averageDaysDelinquent: l.averageDaysDelinquent }))),
      );
      if (asOf === latest) expect(trend.months[11].lines.length).toBeGreaterThan(0);
      const { customers: _customers, ...full } = reports[11];
      expect(await dso.tenantReport(tenantId, { asOf })).toEqual(full);
      const from = '2021-01-01';
      const { customers: _c, ...withFrom } = await dso.report(tenantId, { asOf, from });
      expect(await dso.tenantReport(tenantId, { asOf, from })).toEqual(withFrom);
    }
  });

  it('the three ledger views (maintained amounts; corrected by late allocations; everything summed) give the same rows', async () => {
    const reports = t.app.get(ReportContextService);
    const [{ latest }] = await t.ds.query(
      `SELECT to_char(GREATEST((SELECT max(date) FROM allocations WHERE tenant_id = $1), (SELECT max(issue_date) FROM invoices WHERE tenant_id = $1),
                               (SELECT max(date) FROM payments WHERE tenant_id = $1)), 'YYYY-MM-DD') AS latest`,
      [tenantId],
    );
    const dayBefore = new Date(Date.parse(`${latest}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    expect((await reports.resolve(tenantId, latest)).view).toBe('current');
    expect((await reports.resolve(tenantId, dayBefore)).view).toBe('recent');
    const cases: Array<[string, LedgerView[]]> = [
      [latest, ['current', 'recent', 'historical']],
      [dayBefore, ['recent', 'historical']],
      [readSample(name).fyStart, ['recent', 'historical']],
    ];
    for (const [asOf, views] of cases) {
      const queries: Array<[string, Record<LedgerView, string>, unknown[]]> = [
        ['aged balance', AGED_BALANCE_SQL, [tenantId, asOf, [1, 31, 61, 91], null]],
        ['aged balance top rows', AGED_BALANCE_TOP_SQL, [tenantId, asOf, [1, 31, 61, 91], null, 5]],
        ['encours', ENCOURS_SQL, [tenantId, asOf, null, null]],
        ['encours totals', ENCOURS_TOTALS_SQL, [tenantId, asOf, null, null]],
        ['DSO', DSO_SQL, [tenantId, asOf, '2021-10-18', '2021-07-20']],
        ['forecast', FORECAST_SQL, [tenantId, asOf, null]],
        ['payer scores', PAYER_SCORE_SQL, [tenantId, asOf, null]],
        ['alerts', ALERT_CONDITIONS_SQL, [tenantId, asOf]],
      ];
      const sorted = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).sort();
      for (const [label, sql, params] of queries) {
        const reference = sorted(await t.ds.query(sql.historical, params));
        for (const view of views) expect({ asOf, label, view, rows: sorted(await t.ds.query(sql[view], params)) }).toEqual({ asOf, label, view, rows: reference });
      }
    }
  });
});

