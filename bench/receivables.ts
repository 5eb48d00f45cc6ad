/**
 * Receivables figures at scale: 200,000 invoices, 20,000 customers and their payments
 * (60 % paid and allocated by the source, 10 % partly paid, credit notes), plus 50,000
 * payments the source left unallocated (invoice number in the reference, exact amount of one
 * invoice, amount of two invoices, or nothing to match).
 *
 * Figures: a plain `SELECT sum(total_minor)` over the invoices (baseline), then each report
 * (median of 3 after a warm-up, through the services the API uses; the aged balance, encours
 * and DSO also as the dashboard asks for them: top rows, totals, tenant lines, 12-month trend)
 * and its ratio to the
 * baseline (target ≤ 5), then the full rule-based reconciliation of the 50,000 unallocated
 * payments (target ≤ 10 s).
 *
 *   npm run bench:receivables        (DATABASE_URL or TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres)
 *   BENCH_INVOICES=50000 BENCH_CUSTOMERS=5000 BENCH_UNALLOCATED=12500 npm run bench:receivables
 *   BENCH_KEEP=1 keeps the database for EXPLAIN.
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/common/database/data-source';
import { DashboardService } from '../src/dashboard/dashboard.service';
import { AgedBalanceService } from '../src/dunning/analytics/aged-balance.service';
import { AlertsService } from '../src/dunning/analytics/alerts.service';
import { DsoService } from '../src/dunning/analytics/dso.service';
import { EncoursService } from '../src/dunning/analytics/encours.service';
import { ForecastService } from '../src/dunning/analytics/forecast.service';
import { PayerScoreService } from '../src/dunning/analytics/payer-score.service';
import { ReportContextService } from '../src/dunning/analytics/report-context.service';
import { ReconciliationService } from '../src/dunning/reconciliation/reconciliation.service';
import { TestClock } from '../test/helpers/clock';
import { adminUrl, withDb, timed, median } from './bench-kit';

const INVOICES = Number(process.env.BENCH_INVOICES ?? 200_000);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 20_000);
const UNALLOCATED = Number(process.env.BENCH_UNALLOCATED ?? 50_000);
const AS_OF = '2026-03-31';

async function seed(ds: DataSource): Promise<string> {
  const [t] = await ds.query(`INSERT INTO tenants (name, timezone) VALUES ('Bench SAS', 'Europe/Paris') RETURNING id`);
  const tenantId: string = t.id;
  const [c] = await ds.query(`INSERT INTO connections (tenant_id, provider, name) VALUES ($1, 'fec', 'books') RETURNING id`, [tenantId]);
  const conn: string = c.id;
  await ds.query(
    `INSERT INTO customers (tenant_id, connection_id, external_id, content_hash, name, currency, terms_days, credit_limit_minor)
     SELECT $1, $2, 'C' || g, 'h', 'Customer ' || g, 'EUR', 30, CASE WHEN g % 3 = 0 THEN 5000000 END FROM generate_series(1, $3::int) g`,
    [tenantId, conn, CUSTOMERS],
  );
  // Invoice g belongs to customer 1 + g % CUSTOMERS; issued over the 12 months to the as-of date, due 30 days later.
  await ds.query(
    `INSERT INTO invoices (tenant_id, connection_id, external_id, content_hash, customer_id, customer_external_id, kind, number, issue_date, due_date, currency, total_minor, status)
     SELECT $1, $2, 'I' || g, 'h', c.id, c.external_id, 'invoice', 'F-' || g, date '2026-03-31' - (g * 37 % 365), date '2026-04-30' - (g * 37 % 365),
            'EUR', 10000 + (g::bigint * 7919) % 990000, 'open'
       FROM generate_series(1, $3::int) g
       JOIN customers c ON c.tenant_id = $1 AND c.external_id = 'C' || (1 + g % $4::int)`,
    [tenantId, conn, INVOICES, CUSTOMERS],
  );
  await ds.query('ANALYZE');
  // g % 10 in 0..5: paid in full (source allocation); 6: half paid; 7, 8, 9: open.
  await ds.query(
    `WITH src AS (
       SELECT i.*, substr(i.external_id, 2)::int AS g FROM invoices i WHERE i.tenant_id = $1 AND substr(i.external_id, 2)::int % 10 <= 6
     ), p AS (
       INSERT INTO payments (tenant_id, connection_id, external_id, content_hash, customer_id, customer_external_id, date, currency, amount_minor, reference)
       SELECT $1, $2, 'P' || src.g, 'h', src.customer_id, src.customer_external_id, LEAST(src.due_date + (src.g % 45) - 10, date '2026-03-31'), 'EUR',
              CASE WHEN src.g % 10 = 6 THEN src.total_minor / 2 ELSE src.total_minor END, 'VIR ' || src.number
         FROM src RETURNING id, external_id, date, amount_minor)
     INSERT INTO allocations (tenant_id, connection_id, external_id, invoice_id, payment_id, amount_minor, currency, date)
     SELECT $1, $2, 'A' || p.external_id, i.id, p.id, p.amount_minor, 'EUR', GREATEST(p.date, i.issue_date)
       FROM p JOIN invoices i ON i.tenant_id = $1 AND i.connection_id = $2 AND i.external_id = 'I' || substr(p.external_id, 2)`,
    [tenantId, conn],
  );
  // Credit notes for every 40th customer, half of them lettered to an open invoice.
  await ds.query(
    `INSERT INTO invoices (tenant_id, connection_id, external_id, content_hash, customer_id, customer_external_id, kind, number, issue_date, due_date, currency, total_minor, status)
     SELECT $1, $2, 'AV' || c.external_id, 'h', c.id, c.external_id, 'credit_note', 'AV-' || c.external_id, date '2026-02-15', NULL, 'EUR', 2000, 'open'
       FROM customers c WHERE c.tenant_id = $1 AND substr(c.external_id, 2)::int % 40 = 0`,
    [tenantId, conn],
  );
  await ds.query('ANALYZE');
  // The 50,000 unallocated payments: 40 % name an open invoice (g % 10 = 7) in their reference,
  // 30 % pay exactly one open invoice (g % 10 = 8), 10 % pay two open invoices of the customer
  // (g and g + CUSTOMERS, g % 10 = 9), 20 % match nothing.
  const n = (share: number) => Math.floor(UNALLOCATED * share);
  await ds.query(
    `INSERT INTO payments (tenant_id, connection_id, external_id, content_hash, customer_id, customer_external_id, date, currency, amount_minor, reference)
     SELECT $1, $2, 'U' || x.kind || x.g, 'h', i.customer_id, i.customer_external_id, date '2026-03-25', 'EUR', x.amount, x.reference
       FROM (
         (SELECT 'R' AS kind, i.external_id AS ext, substr(i.external_id, 2)::int AS g, i.total_minor AS amount, 'SEPA transfer FACT ' || i.number || ' thanks' AS reference
           FROM invoices i WHERE i.tenant_id = $1 AND i.kind = 'invoice' AND substr(i.external_id, 2)::int % 10 = 7 ORDER BY i.external_id LIMIT $3)
         UNION ALL
         (SELECT 'E', i.external_id, substr(i.external_id, 2)::int, i.total_minor, 'payment'
           FROM invoices i WHERE i.tenant_id = $1 AND i.kind = 'invoice' AND substr(i.external_id, 2)::int % 10 = 8 ORDER BY i.external_id LIMIT $4)
         UNION ALL
         (SELECT 'S', i.external_id, substr(i.external_id, 2)::int, i.total_minor + j.total_minor, NULL
           FROM invoices i JOIN invoices j ON j.tenant_id = $1 AND j.connection_id = $2 AND j.external_id = 'I' || (substr(i.external_id, 2)::int + $7::int)
          WHERE i.tenant_id = $1 AND i.kind = 'invoice' AND substr(i.external_id, 2)::int % 10 = 9 AND substr(i.external_id, 2)::int % 20 = 9
          ORDER BY i.external_id LIMIT $5)
         UNION ALL
         (SELECT 'N', i.external_id, substr(i.external_id, 2)::int, 1 + substr(i.external_id, 2)::int % 97, 'unknown'
           FROM invoices i WHERE i.tenant_id = $1 AND i.kind = 'invoice' AND substr(i.external_id, 2)::int % 10 = 9 AND substr(i.external_id, 2)::int % 20 = 19
          ORDER BY i.external_id LIMIT $6)
       ) x
       JOIN invoices i ON i.tenant_id = $1 AND i.connection_id = $2 AND i.external_id = x.ext`,
    [tenantId, conn, n(0.4), n(0.3), n(0.1), UNALLOCATED - n(0.4) - n(0.3) - n(0.1), CUSTOMERS],
  );
  await ds.query('ANALYZE');
  return tenantId;
}

async function main(): Promise<void> {
  Logger.overrideLogger(false);
  const name = `lb_bench_recv_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = withDb(adminUrl(), name);
  const ds = new DataSource(dataSourceOptions(url, 4));
  try {
    await ds.initialize();
    await ds.runMigrations();
    const seeded = await timed(() => seed(ds));
    const tenantId = seeded.value;
    const [counts] = await ds.query(
      `SELECT (SELECT count(*) FROM invoices WHERE kind = 'invoice')::int AS invoices, (SELECT count(*) FROM invoices WHERE kind = 'credit_note')::int AS credit_notes,
              (SELECT count(*) FROM customers)::int AS customers, (SELECT count(*) FROM payments)::int AS payments,
              (SELECT count(*) FROM allocations)::int AS allocations`,
    );
    process.stdout.write(
      `seeded ${counts.invoices} invoices, ${counts.credit_notes} credit notes, ${counts.customers} customers, ${counts.payments} payments ` +
        `(${UNALLOCATED} unallocated), ${counts.allocations} allocations in ${(seeded.ms / 1000).toFixed(1)} s\n`,
    );

    const clock = new TestClock(new Date(`${AS_OF}T09:00:00Z`));
    const context = new ReportContextService(ds, clock);
    const baseline = await median(5, () => ds.query(`SELECT sum(total_minor) FROM invoices WHERE tenant_id = $1`, [tenantId]));
    const lines: string[] = [`baseline SELECT sum(total_minor) over the invoices: ${baseline.toFixed(1)} ms`];
    let worst = 0;
    const report = async (label: string, fn: () => Promise<unknown>) => {
      const ms = await median(3, fn);
      const ratio = ms / baseline;
      worst = Math.max(worst, ratio);
      lines.push(`${label}: ${ms.toFixed(1)} ms = ${ratio.toFixed(2)} × baseline (target ≤ 5)`);
      process.stdout.write(`${lines[lines.length - 1]}\n`);
    };
    process.stdout.write(`${lines[0]}\n`);
    const reports = async (suffix: string) => {
      await report(`aged balance${suffix}`, () => new AgedBalanceService(ds, context).report(tenantId, { asOf: AS_OF }));
      await report(`aged balance as of 2025-12-31${suffix}`, () => new AgedBalanceService(ds, context).report(tenantId, { asOf: '2025-12-31' }));
      await report(`aged balance, 10 largest rows (top=10)${suffix}`, () => new AgedBalanceService(ds, context).top(tenantId, 10, { asOf: AS_OF }));
      await report(`encours${suffix}`, () => new EncoursService(ds, context).report(tenantId, { asOf: AS_OF }));
      await report(`encours totals (detail=totals)${suffix}`, () => new EncoursService(ds, context).totals(tenantId, { asOf: AS_OF }));
      await report(`DSO${suffix}`, () => new DsoService(ds, context).report(tenantId, { asOf: AS_OF }));
      await report(`DSO tenant lines (detail=totals)${suffix}`, () => new DsoService(ds, context).tenantReport(tenantId, { asOf: AS_OF }));
      await report(`12-month DSO trend${suffix}`, () => new DashboardService(ds, new DsoService(ds, context), context).dsoTrend(tenantId, AS_OF));
      await report(`cash forecast${suffix}`, () => new ForecastService(ds, context).report(tenantId, { asOf: AS_OF }));
      await report(`payer scores${suffix}`, () => new PayerScoreService(ds, context).scores(tenantId, { asOf: AS_OF }));
    };
    await reports('');
    const alerts = new AlertsService(ds, context, clock);
    const firstAlerts = await timed(() => alerts.evaluate(tenantId, AS_OF));
    lines.push(`alerts, first evaluation (${firstAlerts.value.raised} raised): ${firstAlerts.ms.toFixed(0)} ms`);
    process.stdout.write(`${lines[lines.length - 1]}\n`);
    await report('alerts, re-evaluation', () => alerts.evaluate(tenantId, AS_OF));

    const rec = await timed(() => new ReconciliationService(ds, clock).run(tenantId, 'bench'));
    const r = rec.value;
    lines.push(
      `reconciliation of ${r.candidates} unallocated payments and credits: ${(rec.ms / 1000).toFixed(2)} s (target ≤ 10 s); ` +
        `allocated ${Object.entries(r.allocated).map(([k, v]) => `${k} ${v}`).join(', ')}; still unmatched ${r.unmatched}`,
    );
    process.stdout.write(`${lines[lines.length - 1]}\n`);
    await ds.query('ANALYZE');
    await reports(' (after reconciliation)');
    process.stdout.write(`worst report ratio: ${worst.toFixed(2)} × baseline\n`);
    if (worst > 5 || rec.ms > 10_000) process.exitCode = 1;
  } finally {
    await ds.destroy().catch(() => undefined);
    if (process.env.BENCH_KEEP) process.stdout.write(`kept database ${name}\n`);
    else await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
