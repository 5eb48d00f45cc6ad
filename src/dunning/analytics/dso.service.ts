import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ValidationError } from '../../common/errors';
import { toJsonMinor } from '../../common/money';
import { computeDso, DsoFigures, DsoInputs } from './dso';
import { DSO_SQL, DSO_TOTALS_SQL } from './dso.query';
import { DSO_TENANT_SQL } from './dso-tenant.query';
import { addDays, checkIsoDate, daysBetween, ReportContextService } from './report-context.service';

export interface DsoLine extends DsoFigures {
  currency: string;
  receivablesMinor: number;
  currentReceivablesMinor: number;
  creditSalesMinor: number;
}

export interface CustomerDsoLine extends DsoLine {
  customerId: string | null;
  customerRef: string;
  name: string;
}

export interface DsoReport {
  asOf: string;
  from: string;
  to: string;
  days: number;
  tenant: DsoLine[];
  customers: CustomerDsoLine[];
}

/** Default period: the 90 days ending on the as-of date. */
export const DEFAULT_DSO_DAYS = 90;

const sumInputs = (a: DsoInputs, b: DsoInputs): DsoInputs => ({
  receivables: a.receivables + b.receivables,
  currentReceivables: a.currentReceivables + b.currentReceivables,
  periodSales: a.periodSales + b.periodSales,
  monthSales: b.monthSales.map((v, i) => (a.monthSales[i] ?? 0n) + v),
  monthDays: b.monthDays,
  paid: a.paid + b.paid,
  paidDays: a.paidDays + b.paidDays,
  previousPaid: a.previousPaid + b.previousPaid,
  previousPaidDays: a.previousPaidDays + b.previousPaidDays,
});

const line = (currency: string, x: DsoInputs, days: number): DsoLine => ({
  currency,
  receivablesMinor: toJsonMinor(x.receivables),
  currentReceivablesMinor: toJsonMinor(x.currentReceivables),
  creditSalesMinor: toJsonMinor(x.periodSales),
  ...computeDso(x, days),
});

function period(to: string, from?: string): { to: string; from: string; days: number } {
  const start = from ? checkIsoDate(from, 'from') : addDays(to, 1 - DEFAULT_DSO_DAYS);
  if (start > to) throw new ValidationError([{ field: 'from', message: 'must be on or before asOf' }]);
  return { to, from: start, days: daysBetween(start, to) + 1 };
}

/** A query row: sums as text, the month lists comma-separated (`month_sales` null: no sales in the countback year). */
type InputRow = Record<string, string | null> & { month_days: string };

const inputs = (r: InputRow): DsoInputs => {
  const monthDays = r.month_days.split(',').map(Number);
  return {
    receivables: BigInt(r.receivables!),
    currentReceivables: BigInt(r.current_ar!),
    periodSales: BigInt(r.period_sales!),
    monthSales: r.month_sales === null ? monthDays.map(() => 0n) : r.month_sales.split(',').map((v) => BigInt(v)),
    monthDays,
    paid: BigInt(r.w!),
    paidDays: BigInt(r.wd!),
    previousPaid: BigInt(r.prev_w!),
    previousPaidDays: BigInt(r.prev_wd!),
  };
};

/** DSO (simple, countback, best possible), average days delinquent and days to pay, per tenant and customer, per currency. */
@Injectable()
export class DsoService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly context: ReportContextService,
  ) {}

  async report(tenantId: string, opts: { asOf?: string; from?: string; customerId?: string } = {}): Promise<DsoReport> {
    const ctx = await this.context.resolve(tenantId, opts.asOf);
    const { to, from, days } = period(ctx.asOf, opts.from);
    const rows: InputRow[] = await this.ds.query(DSO_SQL[ctx.view], [
      tenantId, to, from, addDays(from, -days),
    ]);
    const customers: CustomerDsoLine[] = [];
    const totals = new Map<string, DsoInputs>();
    for (const r of rows) {
      const x = inputs(r);
      const cur = r.currency!;
      totals.set(cur, totals.has(cur) ? sumInputs(totals.get(cur)!, x) : x);
      if (opts.customerId && r.customer_id !== opts.customerId) continue;
      customers.push({ customerId: r.customer_id, customerRef: r.customer_ref!, name: r.name!, ...line(cur, x, days) });
    }
    return {
      asOf: to,
      from,
      to,
      days,
      tenant: [...totals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([cur, x]) => line(cur, x, days)),
      customers,
    };
  }

  /**
   * The report's tenant lines only (`detail=totals`), with no per-customer pass: as of today
   * (`current` view) the report's sums taken per currency, else the tenant-wide query.
   */
  async tenantReport(tenantId: string, opts: { asOf?: string; from?: string } = {}): Promise<Omit<DsoReport, 'customers'>> {
    const ctx = await this.context.resolve(tenantId, opts.asOf);
    const { to, from, days } = period(ctx.asOf, opts.from);
    if (ctx.view === 'current') {
      const rows: InputRow[] = await this.ds.query(DSO_TOTALS_SQL.current, [tenantId, to, from, addDays(from, -days)]);
      const tenant = rows.map((r) => line(r.currency!, inputs(r), days)).sort((a, b) => a.currency.localeCompare(b.currency));
      return { asOf: to, from, to, days, tenant };
    }
    const lines = await this.tenantLines(tenantId, [to], days, true);
    return { asOf: to, from, to, days, tenant: lines.get(to) ?? [] };
  }

  /**
   * The report's tenant lines at each of `ends` (a period of `days` days ending there),
   * in one query; without `payments`, the days-to-pay figures are left out (null).
   */
  async tenantLines(tenantId: string, ends: string[], days: number, payments: boolean): Promise<Map<string, DsoLine[]>> {
    const rows: Array<InputRow & { e: string }> = await this.ds.query(DSO_TENANT_SQL, [tenantId, ends, days, payments]);
    const out = new Map<string, DsoLine[]>(ends.map((e) => [e, []]));
    for (const r of rows) out.get(r.e)?.push(line(r.currency!, inputs(r), days));
    for (const list of out.values()) list.sort((a, b) => a.currency.localeCompare(b.currency));
    return out;
  }
}
