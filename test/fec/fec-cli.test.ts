import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createTestDatabase, TestDatabase } from '../helpers/db';
import { runCli } from '../helpers/processes';
import { expectedBalances, expectedSampleBalances, FIXTURES, SAMPLES } from './fec-helpers';

/** `npx ledgerbridge fec import` and `report balances`, as a user runs them (built CLI, real database). */
describe('CLI: fec import, report balances', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  let tenantId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    env = {
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'lb-fec-cli-')),
      DATABASE_URL: db.url,
      LOG_LEVEL: 'warn',
      MASTER_KEY: randomBytes(32).toString('base64'),
    };
    const created = runCli(['tenant', 'create', 'Books SAS', '--json'], env);
    expect(created.status).toBe(0);
    ({ tenantId } = JSON.parse(created.stdout));
  });

  afterAll(async () => {
    await db.drop();
  });

  it('imports a FEC into the "fec" connection (created on first use) and prints the summary as JSON', () => {
    const name = 'neolegal_0000000001FEC20220831.txt';
    const res = runCli(['fec', 'import', path.join(SAMPLES, name), '--tenant', tenantId, '--json'], env);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    const summary = JSON.parse(res.stdout);
    expect(summary).toMatchObject({
      file: name, unchanged: false, format: 'text', encoding: 'utf-8-bom',
      lines: 5422, entries: 2033, customers: 17, invoices: 393, creditNotes: 9, payments: 128, openingItems: 7, allocations: 372,
    });
    expect(summary.warnings).toHaveLength(15);
    expect(summary.counts.customers).toEqual({ created: 17, updated: 0, unchanged: 0, deleted: 0 });

    const report = runCli(['report', 'balances', '--tenant', tenantId, '--json'], env);
    expect(report.status).toBe(0);
    const rows = JSON.parse(report.stdout) as Array<{ customerRef: string; name: string; currency: string; outstandingMinor: number }>;
    expect(Object.fromEntries(rows.map((r) => [r.customerRef, r.outstandingMinor]))).toEqual(expectedSampleBalances(name));
    expect(rows.find((r) => r.customerRef === 'CLAURE')).toEqual({ customerRef: 'CLAURE', name: 'LAURENT PRIMEURS', currency: 'EUR', outstandingMinor: 666127 });
  });

  it('imports into a named connection and prints a human summary', () => {
    const file = path.join(FIXTURES, 'dgfip-latin9.xml');
    const res = runCli(['fec', 'import', file, '--tenant', tenantId, '--connection', 'xml books'], env);
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('dgfip-latin9.xml: imported (xml, iso-8859-15)');
    expect(res.stdout).toContain('invoices 1, credit notes 0, payments 1, opening items 0, allocations 1');
    const again = runCli(['fec', 'import', file, '--tenant', tenantId, '--connection', 'xml books'], env);
    expect(again.stdout).toBe('dgfip-latin9.xml: identical to the last import, nothing to do (use --force to re-import).\n');
    const report = runCli(['report', 'balances', '--tenant', tenantId, '--connection', 'xml books', '--json'], env);
    expect(JSON.parse(report.stdout)).toEqual([{ customerRef: 'HEL', name: 'Hélène €', currency: 'EUR', outstandingMinor: expectedBalances(file).HEL }]);
  });

  it('rejects a bad file with every problem and exit code 65', () => {
    const res = runCli(['fec', 'import', path.join(FIXTURES, 'bad.txt'), '--tenant', tenantId, '--connection', 'bad'], env);
    expect(res.status).toBe(65);
    expect(res.stderr).toContain('bad.txt:2: Debit: not an amount: "12,3x"');
    expect(res.stderr).toContain('bad.txt:8: line: expected 18 columns, found 5');
    expect(res.stderr).toContain('bad.txt:6: EcritureNum: entry VE 3 of 2024-01-06 is unbalanced: debit − credit = 1.00');
    const report = runCli(['report', 'balances', '--tenant', tenantId, '--connection', 'bad', '--json'], env);
    expect(JSON.parse(report.stdout)).toEqual([]);
  });
});
