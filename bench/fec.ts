/**
 * FEC import benchmark: generates a synthetic FEC of 1,000,000 lines (~220,000 invoices,
 * 80 % lettered to payments), then times on the same PostgreSQL
 *   (a) a raw COPY of the file into a scratch table (the baseline),
 *   (b) the full import into the ledger (parse, validate, map, bulk upsert, snapshot tombstones),
 *   (c) a re-import of the same file (recognised as identical by its hash), and
 *   (d) a forced re-import (everything parsed and compared again; nothing rewritten),
 * checks the per-customer balances against the generator's, and prints the ratios and the
 * peak RSS. Targets: (b) ≤ 2× (a), (c) ≤ 1× (a), peak RSS ≤ 300 MB.
 *
 *   npm run bench:fec        (DATABASE_URL or TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres)
 *   FEC_BENCH_LINES=200000 npm run bench:fec
 */
import 'reflect-metadata';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { SystemClock } from '../src/common/clock';
import { dataSourceOptions } from '../src/common/database/data-source';
import { FecBalancesService } from '../src/connectors/fec/fec-balances.service';
import { FecImportService } from '../src/connectors/fec/fec-import.service';
import { LedgerHooks } from '../src/ledger/ledger-hooks';
import { LedgerWriter } from '../src/ledger/ledger-writer';
import { generateFec } from './fec-generator';
import { adminUrl, withDb } from './bench-kit';

const LINES = Number(process.env.FEC_BENCH_LINES ?? 1_000_000);

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lb-bench-fec-'));
  const file = path.join(dir, 'FEC-bench.txt');
  const dbName = `lb_bench_fec_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const url = withDb(adminUrl(), dbName);
  let ds: DataSource | undefined;
  try {
    let t = Date.now();
    const gen = await generateFec(file, { lines: LINES });
    const size = statSync(file).size;
    console.log(`generated ${gen.lines} lines (${gen.invoices} invoices, ${gen.payments} payments, ${gen.customers} customers), ${Math.round(size / 1048576)} MB in ${seconds(Date.now() - t)}`);

    ds = new DataSource({ ...dataSourceOptions(url, 4), migrationsRun: false });
    await ds.initialize();
    await ds.runMigrations();
    const [{ id: tenantId }] = await ds.query(`INSERT INTO tenants (name) VALUES ('Bench SAS') RETURNING id`);

    // (a) raw COPY into a scratch table.
    const copy = new Client({ connectionString: url });
    await copy.connect();
    await copy.query(`CREATE UNLOGGED TABLE scratch_fec (${Array.from({ length: 18 }, (_, i) => `c${i} text`).join(', ')})`);
    t = Date.now();
    await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), copy.query(copyFrom(`COPY scratch_fec FROM STDIN WITH (FORMAT csv, DELIMITER E'\\t', HEADER true, QUOTE E'\\x01')`)));
    const copyMs = Date.now() - t;
    const [{ n }] = (await copy.query(`SELECT count(*)::int AS n FROM scratch_fec`)).rows;
    await copy.query(`DROP TABLE scratch_fec`);
    await copy.end();
    console.log(`(a) raw COPY of ${n} lines: ${seconds(copyMs)}`);

    const clock = new SystemClock();
    const imports = new FecImportService(ds, new LedgerWriter(clock), clock, new LedgerHooks());
    const { id: connectionId } = await imports.ensureConnection(tenantId, 'fec');

    // (b) full import.
    const rssBefore = mb();
    t = Date.now();
    const first = await imports.importFile(tenantId, connectionId, file);
    const importMs = Date.now() - t;
    const s = first.stats!;
    console.log(
      `(b) full import: ${seconds(importMs)} — ${s.lines} lines, ${s.entries} entries, ${s.customers} customers, ${s.invoices} invoices, ${s.payments} payments, ${s.allocations} allocations, ${s.warnings} warnings`,
    );

    const balances = await new FecBalancesService(ds).byConnection(tenantId, connectionId);
    const wrong = balances.filter((b) => (gen.balances.get(b.customerRef) ?? 0n) !== b.outstandingMinor).length;
    console.log(`    balances: ${balances.length} customers, ${wrong} differ from the generator's`);

    // (c) re-import of the same file.
    t = Date.now();
    const again = await imports.importFile(tenantId, connectionId, file);
    const reimportMs = Date.now() - t;
    console.log(`(c) re-import of the same file: ${seconds(reimportMs)} (${again.unchanged ? 'identical file recognised' : 'processed'})`);

    // (d) forced re-import: full parse and comparison, unchanged rows skipped.
    t = Date.now();
    const forced = await imports.importFile(tenantId, connectionId, file, { force: true });
    const forcedMs = Date.now() - t;
    const written = Object.values(forced.counts).reduce((a, c) => a + c.created + c.updated + c.deleted, 0);
    console.log(`(d) forced re-import: ${seconds(forcedMs)} (${written} rows written)`);

    const rss = mb();
    console.log('');
    console.log(`full import / COPY     = ${(importMs / copyMs).toFixed(2)}×   (target ≤ 2×)`);
    console.log(`re-import / COPY       = ${(reimportMs / copyMs).toFixed(2)}×   (target ≤ 1×)`);
    console.log(`forced re-import / COPY = ${(forcedMs / copyMs).toFixed(2)}×`);
    console.log(`peak RSS               = ${rss} MB   (target ≤ 300 MB; ${rssBefore} MB before the import)`);
    if (wrong) process.exitCode = 1;
  } finally {
    await ds?.destroy();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
