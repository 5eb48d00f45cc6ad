import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ValidationError } from '../../common/errors';
import { toJsonMinor } from '../../common/money';
import { computeDso, DsoFigures, DsoInputs } from './dso';
import { DSO_SQL } from './dso.query';
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

/** DSO (simple, countback, best possible), average days delinquent and days to pay, per tenant and customer, per currency. */
@Injectable()
export class DsoService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly context: ReportContextService,
  ) {}

  async report(tenantId: string, opts: { asOf?: string; from?: string; customerId?: string } = {}): Promise<DsoReport> {
    const ctx = await this.context.resolve(tenantId, opts.asOf);
    const to = ctx.asOf;
    const from = opts.from ? checkIsoDate(opts.from, 'from') : addDays(to, 1 - DEFAULT_DSO_DAYS);
    if (from > to) throw new ValidationError([{ field: 'from', message: 'must be on or before asOf' }]);
    const days = daysBetween(from, to) + 1;
    const rows: Array<Record<string, string | null> & { month_sales: string[] | null; month_days: number[] }> = await this.ds.query(DSO_SQL[ctx.view], [
      tenantId, to, from, addDays(from, -days),
    ]);
    const customers: CustomerDsoLine[] = [];
    const totals = new Map<string, DsoInputs>();
    for (const r of rows) {
      const x: DsoInputs = {
        receivables: BigInt(r.receivables!),
        currentReceivables: BigInt(r.current_ar!),
        periodSales: BigInt(r.period_sales!),
        monthSales: (r.month_sales ?? r.month_days.map(() => '0')).map((v) => BigInt(v)),
        monthDays: r.month_days,
        paid: BigInt(r.w!),
        paidDays: BigInt(r.wd!),
        previousPaid: BigInt(r.prev_w!),
        previousPaidDays: BigInt(r.prev_wd!),
      };
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
}
