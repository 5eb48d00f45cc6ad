/**
 * Sync benchmark: the test connector serves 200,000 invoices with their customers (1 per 10
 * invoices), payments and allocations (1 per 2 invoices) in pages of 1,000 invoices; they go
 * through the real SyncRunner (one transaction per page, cursor saved with it) into a fresh
 * database. Then the same data is synced again from the start (no changes: every row skipped
 * by its content hash), then once more with every invoice and payment amount changed.
 * Targets: first pass ≥ 20,000 records/s written; no-change pass ≤ 1/3 of the first pass. Each pass
 * also shows its pull-and-write part and the after-sync work (reconciliation, alerts) that follows.
 *
 *   npm run bench:sync        (DATABASE_URL or TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres)
 *   SYNC_BENCH_INVOICES=50000 npm run bench:sync
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { TenantsService } from '../src/common/auth/tenants.service';
import { loadConfig } from '../src/common/config/app-config';
import { runMigrations } from '../src/common/database/data-source';
import { seenTotal, writtenTotal, type SyncCounts } from '../src/ledger/sync-counts';
import { ConnectionsService } from '../src/sync/connections.service';
import { syncInForeground } from '../src/sync/sync.commands';
import { sourceFor, TestConnectorModule } from '../test/support/test-connector';
import { adminUrl, databaseCpuSeconds, withDb } from './bench-kit';

const INVOICES = Number(process.env.SYNC_BENCH_INVOICES ?? 200_000);
const PAGE = 1_000;
const TARGET_RATE = 20_000;

const fmt = (c: SyncCounts) =>
  Object.entries(c)
    .map(([e, v]) => `${e} +${v.created} ~${v.updated} =${v.unchanged} -${v.deleted}`)
    .join(', ');

async function main(): Promise<void> {
  const dbName = `lb_bench_sync_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const url = withDb(adminUrl(), dbName);
  try {
    await runMigrations(url);
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: url,
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'lb-bench-sync-')),
      LOG_LEVEL: 'silent',
      SCHEDULER_ENABLED: 'false',
      WORKERS_ENABLED: 'false',
      MASTER_KEY: randomBytes(32).toString('base64'),
    });
    const app = await NestFactory.createApplicationContext(
      AppModule.forRoot({ config, databaseUrl: url, masterKey: config.masterKey!, extraModules: [TestConnectorModule], cli: true }),
      { logger: false },
    );
    try {
      const { tenant } = await app.get(TenantsService).create('Bench SAS');
      const conn = await app.get(ConnectionsService).create(tenant.id, { provider: 'test', name: 'bench', settings: { label: 'bench' } });
      const src = sourceFor('bench');
      const ds = app.get(DataSource);
      const pass = async (label: string, version: number) => {
        await ds.query(`UPDATE connections SET cursor = NULL WHERE id = $1`, [conn.id]);
        src.generated = { pages: INVOICES / PAGE, pageSize: PAGE, version };
        const cpu0 = { db: await databaseCpuSeconds((q, p) => ds.query(q, p), dbName), node: process.cpuUsage() };
        const t0 = process.hrtime.bigint();
        const { runId, outcome } = await syncInForeground(app, tenant.id, conn.id);
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        const dbCpu = await databaseCpuSeconds((q, p) => ds.query(q, p), dbName);
        const nodeCpu = process.cpuUsage(cpu0.node);
        if (outcome.status !== 'succeeded') throw new Error(`${label}: ${JSON.stringify(outcome)}`);
        const seen = seenTotal(outcome.counts);
        const written = writtenTotal(outcome.counts);
        // The run is finished (finished_at) before the after-sync work (reconciliation, alerts) starts.
        const [{ pulled }] = await ds.query(`SELECT extract(epoch FROM finished_at - started_at) * 1000 AS pulled FROM sync_runs WHERE id = $1`, [runId]);
        console.log(`${label.padEnd(16)} ${(ms / 1000).toFixed(2).padStart(7)} s  ${seen} records (${written} written)  ${Math.round((seen / ms) * 1000)} records/s`);
        console.log(`${''.padEnd(16)} ${fmt(outcome.counts)}`);
        console.log(`${''.padEnd(16)} pull and write ${(pulled / 1000).toFixed(2)} s (${Math.round((seen / pulled) * 1000)} records/s), then after-sync work ${((ms - pulled) / 1000).toFixed(2)} s`);
        const dbCpuText = dbCpu !== null && cpu0.db !== null ? `database ${(dbCpu - cpu0.db).toFixed(2)} s, ` : '';
        console.log(`${''.padEnd(16)} CPU: ${dbCpuText}this process ${((nodeCpu.user + nodeCpu.system) / 1e6).toFixed(2)} s (load average ${loadavg()[0].toFixed(2)})`);
        return { ms, seen, written };
      };
      console.log(`sync bench: ${INVOICES} invoices in pages of ${PAGE} through SyncRunner + LedgerWriter (PostgreSQL ${(await ds.query('SHOW server_version'))[0].server_version})`);
      const first = await pass('first sync', 0);
      const same = await pass('no-change sync', 0);
      const changed = await pass('all changed', 1);
      const rate = (first.written / first.ms) * 1000;
      console.log('');
      console.log(`first pass: ${Math.round(rate)} records/s written; target ≥ ${TARGET_RATE} → ratio ${(rate / TARGET_RATE).toFixed(2)} ${rate >= TARGET_RATE ? 'OK' : 'MISSED'}`);
      console.log(`no-change pass: ${(same.ms / first.ms).toFixed(3)} of the first pass; target ≤ 0.333 ${same.ms / first.ms <= 1 / 3 ? 'OK' : 'MISSED'}`);
      console.log(`all-changed pass: ${(changed.ms / first.ms).toFixed(3)} of the first pass (for information)`);
    } finally {
      await app.close();
    }
  } finally {
    if (!process.env.SYNC_BENCH_KEEP_DB) await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    else console.log(`kept database ${dbName}`);
    await admin.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
