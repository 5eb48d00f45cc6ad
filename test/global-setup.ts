import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { runMigrations } from '../src/common/database/data-source';
import { startEmbeddedPostgres } from '../src/common/database/embedded-postgres';
import { withDatabase } from './helpers/urls';

/**
 * Starts one PostgreSQL for the whole run — the embedded one, unless TEST_DATABASE_URL or
 * DATABASE_URL names a server — and migrates a template database that every test file
 * clones (CREATE DATABASE … TEMPLATE), so each file gets a fresh, isolated schema.
 */
export default async function globalSetup(): Promise<void> {
  const external = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  let adminUrl: string;
  if (external) {
    adminUrl = external;
  } else {
    const dir = mkdtempSync(path.join(tmpdir(), 'ledgerbridge-test-'));
    const db = await startEmbeddedPostgres({ dataDir: dir });
    (globalThis as Record<string, unknown>).__LEDGERBRIDGE_PG__ = db;
    adminUrl = db.url;
    process.env.LB_TEST_DATA_DIR = dir;
  }
  const template = `lb_tpl_${process.pid}_${Date.now().toString(36)}`;
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${template}"`);
  } finally {
    await client.end();
  }
  await runMigrations(withDatabase(adminUrl, template));
  process.env.LB_TEST_ADMIN_URL = adminUrl;
  process.env.LB_TEST_TEMPLATE = template;
}
