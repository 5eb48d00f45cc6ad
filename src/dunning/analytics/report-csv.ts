import { formatMinor } from '../../common/money';
import type { AgedBalance } from './aged-balance.service';
import type { DsoLine, DsoReport } from './dso.service';
import type { Encours } from './encours.service';
import type { CashForecast } from './forecast.service';

/** RFC 4180 field quoting. */
export function csvField(value: unknown): string {
  const s = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLines(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** Minor units (JSON number) as a plain decimal in the currency's exponent: 123456 EUR → 1234.56. */
const dec = (minor: number, currency: string) => formatMinor(BigInt(minor), currency);

/** Aged balance as CSV: one line per customer and currency, then one TOTAL line per currency. */
export function agedBalanceCsv(r: AgedBalance): string {
  const rows = r.rows.map((x) => [x.customerRef, x.name, x.currency, ...r.buckets.map((b) => dec(x.bucketsMinor[b], x.currency)), dec(x.totalMinor, x.currency)]);
  for (const t of r.totals) rows.push(['TOTAL', '', t.currency, ...r.buckets.map((b) => dec(t.bucketsMinor[b], t.currency)), dec(t.totalMinor, t.currency)]);
  return csvLines(['customerRef', 'name', 'currency', ...r.buckets, 'total'], rows);
}

/** Encours as CSV: customers, then companies (connections), then tenant totals. */
export function encoursCsv(r: Encours): string {
  const money = (x: { currency: string; totalMinor: number; notDueMinor: number; overdueMinor: number; unallocatedMinor: number; disputedMinor: number }) =>
    [x.currency, dec(x.totalMinor, x.currency), dec(x.notDueMinor, x.currency), dec(x.overdueMinor, x.currency), dec(x.unallocatedMinor, x.currency), dec(x.disputedMinor, x.currency)];
  const rows: unknown[][] = [
    ...r.customers.map((c) => ['customer', c.customerRef, c.name, ...money(c)]),
    ...r.companies.map((c) => ['company', c.connectionId, c.name, ...money(c)]),
    ...r.totals.map((t) => ['tenant', '', 'TOTAL', ...money(t)]),
  ];
  return csvLines(['level', 'ref', 'name', 'currency', 'total', 'notDue', 'overdue', 'unallocated', 'disputed'], rows);
}

/** DSO as CSV: tenant lines per currency, then customers. Days to a tenth, empty when undefined. */
export function dsoCsv(r: DsoReport): string {
  const figures = (x: DsoLine) => [
    x.currency, dec(x.receivablesMinor, x.currency), dec(x.currentReceivablesMinor, x.currency), dec(x.creditSalesMinor, x.currency),
    x.dso, x.countbackDso, x.bestPossibleDso, x.averageDaysDelinquent, x.averageDaysToPay, x.previousAverageDaysToPay, x.trendDays,
  ];
  return csvLines(
    ['level', 'customerRef', 'name', 'currency', 'receivables', 'currentReceivables', 'creditSales', 'dso', 'countbackDso', 'bestPossibleDso',
      'averageDaysDelinquent', 'averageDaysToPay', 'previousAverageDaysToPay', 'trendDays'],
    [...r.tenant.map((x) => ['tenant', '', 'TOTAL', ...figures(x)]), ...r.customers.map((x) => ['customer', x.customerRef, x.name, ...figures(x)])],
  );
}

/** Forecast as CSV: one line per currency and week, then `later` and `disputed`. */
export function forecastCsv(r: CashForecast): string {
  const rows: unknown[][] = [];
  for (const c of r.currencies) {
    r.weeks.forEach((w, i) => rows.push([c.currency, w.week, w.start, w.end, dec(c.weeksMinor[i], c.currency)]));
    rows.push([c.currency, 'later', '', '', dec(c.laterMinor, c.currency)]);
    rows.push([c.currency, 'disputed', '', '', dec(c.disputedMinor, c.currency)]);
  }
  return csvLines(['currency', 'week', 'start', 'end', 'expected'], rows);
}
