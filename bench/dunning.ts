/**
 * Dunning planning at scale: 200,000 open invoices across 20,000 customers (some partly paid,
 * some credited, disputed or paused), planned as of one date.
 *
 * Figures: a plain scan of the open invoices (baseline), the planning pass (dry run: the
 * set-based planning query + penalties + grouping), a first real run (outbox written), and a
 * second real run the same day, which must plan nothing new. Target: planning ≤ 5 × scan.
 *
 *   npm run bench:dunning        (DATABASE_URL or TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres)
 *   BENCH_INVOICES=50000 BENCH_CUSTOMERS=5000 npm run bench:dunning
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/common/config/app-config';
import { dataSourceOptions } from '../src/common/database/data-source';
import { ConnectorRegistry } from '../src/connectors/registry';
import { PromisesService } from '../src/dunning/collab/promises.service';
import { DunningEngine } from '../src/dunning/engine/dunning-engine.service';
import { PLAN_SELECT, PLANNER_SETTINGS } from '../src/dunning/engine/dunning-plan.query';
import { PenaltyCalculator } from '../src/dunning/penalties/penalty-calculator';
import { loadPenaltyRates } from '../src/dunning/penalties/penalty-rates';
import { PayerSegments } from '../src/dunning/policies/payer-segments';
import { PoliciesService } from '../src/dunning/policies/policies.service';
import { AuditLog } from '../src/dunning/timeline/audit-log';
import { DunningEvents } from '../src/dunning/timeline/dunning-events';
import type { PayerScoreService } from '../src/dunning/analytics/payer-score.service';
import { TestClock } from '../test/helpers/clock';
import { adminUrl, withDb, timed, median } from './bench-kit';

const INVOICES = Number(process.env.BENCH_INVOICES ?? 200_000);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 20_000);
const AS_OF = '2026-03-02';

async function seed(ds: DataSource): Promise<{ tenantId: string }> {
  const [t] = await ds.query(`INSERT INTO tenants (name, timezone) VALUES ('Bench SAS', 'Europe/Paris') RETURNING id`);
  const tenantId: string = t.id;
  const [c] = await ds.query(`INSERT INTO connections (tenant_id, provider, name, last_success_at) VALUES ($1, 'fec', 'books', now()) RETURNING id`, [tenantId]);
  const conn: string = c.id;
  await ds.query(
    `INSERT INTO customers (tenant_id, connection_id, external_id, content_hash, name, emails, currency, terms_days, language)
     SELECT $1, $2, 'C' || g, 'h', 'Customer ' || g, ARRAY['ap' || g || '@example.test'], 'EUR', 30, CASE WHEN g % 4 = 0 THEN 'en' ELSE 'fr' END
       FROM generate_series(1, $3::int) g`,
    [tenantId, conn, CUSTOMERS],
  );
  // Due dates spread over 2025-12-01 .. 2026-03-31: every step of the default policy is due for some.
  await ds.query(
    `INSERT INTO invoices (tenant_id, connection_id, external_id, content_hash, customer_id, customer_external_id, kind, number, issue_date, due_date, currency, total_minor, status)
     SELECT $1, $2, 'I' || g, 'h', c.id, c.external_id, 'invoice', 'F-' || g, date '2025-11-01' + (g % 120), date '2025-12-01' + (g % 121),
            'EUR', 10000 + (g * 7919) % 990000, 'open'
       FROM generate_series(1, $3::int) g
       JOIN customers c ON c.tenant_id = $1 AND c.external_id = 'C' || (1 + g % $4::int)`,
    [tenantId, conn, INVOICES, CUSTOMERS],
  );
  // A payment partly allocated to every 5th invoice; a credit note for every 50th customer.
  await ds.query(
    `WITH p AS (
       INSERT INTO payments (tenant_id, connection_id, external_id, content_hash, customer_id, customer_external_id, date, currency, amount_minor)
       SELECT $1, $2, 'P' || i.external_id, 'h', i.customer_id, i.customer_external_id, date '2026-02-01', 'EUR', 5000
         FROM invoices i WHERE i.tenant_id = $1 AND substr(i.external_id, 2)::int % 5 = 0
       RETURNING id, external_id)
     INSERT INTO allocations (tenant_id, connection_id, external_id, invoice_id, payment_id, amount_minor, currency, date)
     SELECT $1, $2, 'A' || p.external_id, i.id, p.id, 5000, 'EUR', date '2026-02-01'
       FROM p JOIN invoices i ON i.tenant_id = $1 AND 'P' || i.external_id = p.external_id`,
    [tenantId, conn],
  );
  await ds.query(
    `INSERT INTO invoices (tenant_id, connection_id, external_id, content_hash, customer_id, customer_external_id, kind, number, issue_date, due_date, currency, total_minor, status)
     SELECT $1, $2, 'AV' || c.external_id, 'h', c.id, c.external_id, 'credit_note', 'AV-' || c.external_id, date '2026-01-15', NULL, 'EUR', 20000, 'open'
       FROM customers c WHERE c.tenant_id = $1 AND substr(c.external_id, 2)::int % 50 = 0`,
    [tenantId, conn],
  );
  // Disputes on every 100th invoice, a pause for every 200th customer.
  await ds.query(
    `INSERT INTO disputes (tenant_id, invoice_id, customer_id, reason, status, opened_at, opened_by)
     SELECT $1, i.id, i.customer_id, 'bench', 'open', now(), 'bench' FROM invoices i
      WHERE i.tenant_id = $1 AND i.kind = 'invoice' AND substr(i.external_id, 2)::int % 100 = 0`,
    [tenantId],
  );
  await ds.query(
    `INSERT INTO dunning_pauses (tenant_id, customer_id, reason, until, created_by)
     SELECT $1, c.id, 'bench', date '2026-12-31', 'bench' FROM customers c WHERE c.tenant_id = $1 AND substr(c.external_id, 2)::int % 200 = 0`,
    [tenantId],
  );
  await ds.query('ANALYZE');
  return { tenantId };
}

async function main(): Promise<void> {
  Logger.overrideLogger(['error']);
  const name = `lb_bench_dunning_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = withDb(adminUrl(), name);
  const ds = new DataSource(dataSourceOptions(url, 4));
  try {
    await ds.initialize();
    await ds.runMigrations();
    const seeded = await timed(() => seed(ds));
    const { tenantId } = seeded.value;
    process.stdout.write(`seeded ${INVOICES} open invoices, ${CUSTOMERS} customers in ${(seeded.ms / 1000).toFixed(1)} s\n`);
    if (process.env.BENCH_SEED_ONLY) {
      process.stdout.write(`database ${name} kept (tenant ${tenantId})\n`);
      return;
    }

    const config = loadConfig({ DATABASE_URL: url, DUNNING_SYNC_FRESHNESS_HOURS: '0', LOG_LEVEL: 'silent' });
    const clock = new TestClock(new Date(`${AS_OF}T09:00:00Z`));
    const events = new DunningEvents(clock, new ConnectorRegistry());
    const audit = new AuditLog(clock);
    const noScores = null as unknown as PayerScoreService; // no policy targets a segment: never called
    const engine = new DunningEngine(
      ds, config, clock, new PoliciesService(ds, audit), new PayerSegments(ds, noScores),
      new PenaltyCalculator(loadPenaltyRates()), new PromisesService(ds, clock, events, audit),
    );

    // Baseline: every open invoice with the columns a reminder needs, to the client.
    const scanMs = await median(3, () =>
      ds.query(
        `SELECT id, customer_id, due_date, total_minor, currency FROM invoices
          WHERE tenant_id = $1 AND kind = 'invoice' AND status = 'open' AND deleted_at IS NULL`,
        [tenantId],
      ),
    );
    const policyId = await new PoliciesService(ds, audit).ensureDefault(tenantId);
    let plannedInvoices = 0;
    const planMs = await median(3, async () => {
      const rows = await ds.transaction(async (m) => {
        await m.query(PLANNER_SETTINGS);
        return m.query(PLAN_SELECT, [tenantId, AS_OF, policyId, [], [], null]);
      });
      plannedInvoices = rows.length;
    });
    let planned = 0;
    const dry = await timed(async () => {
      const r = await engine.run(tenantId, { asOf: AS_OF, dryRun: true, trigger: 'cli', actor: 'bench' });
      planned = r.counts.reminders;
    });
    const first = await timed(() => engine.run(tenantId, { asOf: AS_OF, trigger: 'cli', actor: 'bench' }));
    const second = await timed(() => engine.run(tenantId, { asOf: AS_OF, trigger: 'cli', actor: 'bench' }));
    const [{ n: outbox }] = await ds.query(`SELECT count(*)::int AS n FROM dunning_reminders WHERE tenant_id = $1`, [tenantId]);
    const [{ n: messages }] = await ds.query(`SELECT count(*)::int AS n FROM dunning_messages WHERE tenant_id = $1`, [tenantId]);

    const ratio = planMs / scanMs;
    const lines = [
      `plain scan of open invoices (baseline): ${scanMs.toFixed(0)} ms`,
      `planning pass (set-based planning query, ${plannedInvoices} invoices with a step due): ${planMs.toFixed(0)} ms = ${ratio.toFixed(2)} × scan (target ≤ 5)`,
      `full dry run (planning + penalties + grouping into the API answer, ${planned} reminders): ${dry.ms.toFixed(0)} ms = ${(dry.ms / scanMs).toFixed(2)} × scan`,
      `first real run: ${first.ms.toFixed(0)} ms, ${first.value.counts.reminders} reminders in ${first.value.counts.messages} messages (outbox: ${outbox} rows, ${messages} messages)`,
      `second run the same day: ${second.ms.toFixed(0)} ms, ${second.value.counts.reminders} new reminders (target 0)`,
      `dry run = real run: ${planned === first.value.counts.reminders ? 'yes' : 'NO'}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (ratio > 5 || second.value.counts.reminders !== 0 || planned !== first.value.counts.reminders) process.exitCode = 1;
  } finally {
    await ds.destroy().catch(() => undefined);
    if (!process.env.BENCH_SEED_ONLY) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
