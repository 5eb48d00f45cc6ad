import type { INestApplicationContext } from '@nestjs/common';
import type { Command } from 'commander';
import { CliError, withApp } from '../../cli/cli-context';
import { DomainError } from '../../common/errors';
import { formatMinor } from '../../common/money';
import { ReconciliationService } from '../reconciliation/reconciliation.service';
import { parseBucketList } from './aging-buckets';
import { AgedBalanceService } from './aged-balance.service';
import { AlertsService } from './alerts.service';
import { DsoService } from './dso.service';
import { EncoursService } from './encours.service';
import { ForecastService } from './forecast.service';
import { agedBalanceCsv, dsoCsv, encoursCsv, forecastCsv } from './report-csv';

export const REPORT_KINDS = ['aged-balance', 'encours', 'dso', 'forecast'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export interface ReportCliOptions {
  tenant: string;
  asOf?: string;
  from?: string;
  buckets?: string;
  customer?: string;
  json?: boolean;
  csv?: boolean;
}

/** A plain text table, columns padded, numbers right-aligned. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => /^-?[\d.]+$|^-$/.test(r[i])));
  const fmt = (r: string[]) => r.map((v, i) => (numeric[i] ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ').trimEnd();
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n') + '\n';
}

const m = (minor: number, currency: string) => formatMinor(BigInt(minor), currency);
const n = (v: number | null) => (v === null ? '-' : String(v));

/** Runs one report and renders it as JSON (same shape as the API), CSV or a text table. */
export async function renderReport(app: INestApplicationContext, kind: ReportKind, o: ReportCliOptions): Promise<string> {
  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  switch (kind) {
    case 'aged-balance': {
      const r = await app.get(AgedBalanceService).report(o.tenant, { asOf: o.asOf, bounds: o.buckets ? parseBucketList(o.buckets) : undefined });
      if (o.json) return json(r);
      if (o.csv) return agedBalanceCsv(r);
      const rows = [
        ...r.rows.map((x) => [x.customerRef, x.name, x.currency, ...r.buckets.map((b) => m(x.bucketsMinor[b], x.currency)), m(x.totalMinor, x.currency)]),
        ...r.totals.map((x) => ['TOTAL', '', x.currency, ...r.buckets.map((b) => m(x.bucketsMinor[b], x.currency)), m(x.totalMinor, x.currency)]),
      ];
      return `Aged balance as of ${r.asOf}\n` + table(['customer', 'name', 'cur', ...r.buckets, 'total'], rows);
    }
    case 'encours': {
      const r = await app.get(EncoursService).report(o.tenant, { asOf: o.asOf, customerId: o.customer });
      if (o.json) return json(r);
      if (o.csv) return encoursCsv(r);
      const line = (level: string, ref: string, name: string, x: { currency: string; totalMinor: number; notDueMinor: number; overdueMinor: number; unallocatedMinor: number; disputedMinor: number }) =>
        [level, ref, name, x.currency, m(x.totalMinor, x.currency), m(x.notDueMinor, x.currency), m(x.overdueMinor, x.currency), m(x.unallocatedMinor, x.currency), m(x.disputedMinor, x.currency)];
      const rows = [
        ...r.customers.map((x) => line('customer', x.customerRef, x.name, x)),
        ...r.companies.map((x) => line('company', '', x.name, x)),
        ...r.totals.map((x) => line('tenant', '', 'TOTAL', x)),
      ];
      return `Encours as of ${r.asOf}\n` + table(['level', 'ref', 'name', 'cur', 'total', 'not due', 'overdue', 'unallocated', 'disputed'], rows);
    }
    case 'dso': {
      const r = await app.get(DsoService).report(o.tenant, { asOf: o.asOf, from: o.from, customerId: o.customer });
      if (o.json) return json(r);
      if (o.csv) return dsoCsv(r);
      const rows = [...r.tenant.map((x) => ({ ref: 'TOTAL', ...x })), ...r.customers.map((x) => ({ ref: x.customerRef, ...x }))].map((x) => [
        x.ref, x.currency, n(x.dso), n(x.countbackDso), n(x.bestPossibleDso), n(x.averageDaysDelinquent), n(x.averageDaysToPay), n(x.trendDays),
      ]);
      return `DSO ${r.from} … ${r.to} (${r.days} days)\n` + table(['customer', 'cur', 'dso', 'countback', 'best', 'delinquent', 'days to pay', 'trend'], rows);
    }
    case 'forecast': {
      const r = await app.get(ForecastService).report(o.tenant, { asOf: o.asOf, customerId: o.customer });
      if (o.json) return json(r);
      if (o.csv) return forecastCsv(r);
      const rows = r.weeks.map((w, i) => [`${w.week}`, w.start, ...r.currencies.map((c) => m(c.weeksMinor[i], c.currency))]);
      rows.push(['later', '', ...r.currencies.map((c) => m(c.laterMinor, c.currency))]);
      rows.push(['disputed', '', ...r.currencies.map((c) => m(c.disputedMinor, c.currency))]);
      return `Expected receipts from ${r.asOf}\n` + table(['week', 'from', ...r.currencies.map((c) => c.currency)], rows);
    }
  }
}

async function run<T>(fn: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  try {
    return await withApp(fn);
  } catch (e) {
    if (e instanceof DomainError) throw new CliError(e.message, e.status === 404 ? 4 : 2);
    throw e;
  }
}

/** `report aged-balance|encours|dso|forecast`, `reconcile`, `alerts evaluate`. */
export function registerReportCommands(program: Command): void {
  const report = program.commands.find((c) => c.name() === 'report') ?? program.command('report').description('reports on the ledger');
  for (const kind of REPORT_KINDS) {
    const cmd = report
      .command(kind)
      .description(
        {
          'aged-balance': 'aged balance per customer and currency as of a date',
          encours: 'outstanding per customer, company and tenant (not due, overdue, unallocated, disputed)',
          dso: 'DSO, countback DSO, best possible DSO, average days delinquent and days to pay',
          forecast: 'expected receipts per week for the next 13 weeks',
        }[kind],
      )
      .requiredOption('--tenant <id>', 'tenant id')
      .option('--as-of <date>', 'YYYY-MM-DD (default: today in the tenant timezone)')
      .option('--json', 'JSON output (the API shape)')
      .option('--csv', 'CSV output');
    if (kind === 'aged-balance') cmd.option('--buckets <days>', 'bucket bounds, e.g. 30,60,90,120');
    if (kind === 'dso') cmd.option('--from <date>', 'period start (default: 90 days to the as-of date)');
    if (kind !== 'aged-balance') cmd.option('--customer <id>', 'one customer');
    cmd.action(async (opts: ReportCliOptions) => {
      if (opts.json && opts.csv) throw new CliError('choose one of --json and --csv');
      process.stdout.write(await run((app) => renderReport(app, kind, opts)));
    });
  }

  program
    .command('reconcile')
    .description('match unallocated payments and credits to open invoices by rules, then evaluate alerts')
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--json', 'JSON output')
    .action(async (opts: { tenant: string; json?: boolean }) => {
      const r = await run(async (app) => {
        const result = await app.get(ReconciliationService).run(opts.tenant);
        await app.get(AlertsService).evaluate(opts.tenant);
        return result;
      });
      if (opts.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
      else {
        const made = Object.entries(r.allocated).map(([k, v]) => `${k} ${v}`).join(', ');
        process.stdout.write(`${r.candidates} unallocated payments/credits; allocated: ${made}; superseded ${r.superseded}; still unmatched ${r.unmatched}\n`);
      }
    });
}
