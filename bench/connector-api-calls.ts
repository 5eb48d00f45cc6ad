/**
 * API calls (and time) of a first sync of 10,000 invoices, per API connector, against fake
 * vendors (nock) that page exactly like the documented APIs; records written through the
 * real LedgerWriter into PostgreSQL. Baseline: the fewest list calls the vendor's maximum
 * page size allows (ceil(records / page size) per entity), plus the fixed calls.
 *
 *   npm run bench:connectors            (DATABASE_URL or TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres)
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import nock from 'nock';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/common/config/app-config';
import { SecretBox } from '../src/common/crypto/secret-box';
import { dataSourceOptions } from '../src/common/database/data-source';
import { ConnectionCredentialsLock } from '../src/common/http/connection-credentials-lock';
import { OAuth2TokenStore } from '../src/common/http/oauth2-token-store';
import { RateBudgets } from '../src/common/http/rate-budget';
import type { Connector } from '../src/connectors/connector';
import { QboConnector } from '../src/connectors/quickbooks/qbo.connector';
import { SageConnector } from '../src/connectors/sage/sage.connector';
import { XeroConnector } from '../src/connectors/xero/xero.connector';
import { LedgerWriter } from '../src/ledger/ledger-writer';
import { TestClock } from '../test/helpers/clock';
import { ClockSleeper } from '../test/support/clock-sleeper';
import { FakeQbo, QBO_API, QBO_REALM, QBO_TOKEN_URL } from '../test/support/fake-qbo';
import { FakeSage, SAGE_API, SAGE_TOKEN_URL } from '../test/support/fake-sage';
import { emptySource, expiredCredentials, type SourceState } from '../test/support/fake-source';
import { FakeXero, XERO_ENV } from '../test/support/fake-xero';
import { XERO_TENANT } from '../test/support/xero-fixtures';
import { aSealedConnection, pullContextFor } from '../test/support/pull-context';

const INVOICES = Number(process.env.BENCH_INVOICES ?? 10_000);
const CUSTOMERS = 500;
const PAYMENTS = 3_000;
const CREDIT_NOTES = 200;

function company(id: (kind: 'customer' | 'invoice' | 'credit_note' | 'payment', n: number) => string): SourceState {
  const s = emptySource();
  const t0 = Date.parse('2025-01-01T00:00:00Z');
  const at = (n: number) => new Date(t0 + n * 1000).toISOString();
  for (let c = 1; c <= CUSTOMERS; c++) s.customers.push({ id: id('customer', c), name: `Customer ${c}`, currency: 'EUR', updatedAt: at(c) });
  for (let i = 1; i <= INVOICES; i++) {
    s.invoices.push({ id: id('invoice', i), customerId: id('customer', 1 + (i % CUSTOMERS)), number: `F-${i}`, issueDate: '2025-06-01', dueDate: '2025-07-01', currency: 'EUR', total: `${100 + (i % 900)}.25`, balance: i <= PAYMENTS ? '0' : `${100 + (i % 900)}.25`, updatedAt: at(10_000 + i) });
  }
  for (let n = 1; n <= CREDIT_NOTES; n++) s.creditNotes.push({ id: id('credit_note', n), customerId: id('customer', 1 + (n % CUSTOMERS)), number: `A-${n}`, issueDate: '2025-06-15', currency: 'EUR', total: '10.00', balance: '10.00', updatedAt: at(30_000 + n) });
  for (let p = 1; p <= PAYMENTS; p++) {
    const inv = s.invoices[p - 1];
    s.payments.push({ id: id('payment', p), customerId: inv.customerId, date: '2025-07-01', currency: 'EUR', amount: inv.total, lines: [{ kind: 'invoice', id: inv.id, amount: inv.total }], updatedAt: at(40_000 + p) });
  }
  return s;
}

interface Case {
  provider: string;
  pageSize: number;
  fixedCalls: string;
  fixed: number;
  settings: Record<string, unknown>;
  id: (kind: 'customer' | 'invoice' | 'credit_note' | 'payment', n: number) => string;
  connector: (deps: { config: ReturnType<typeof loadConfig>; tokens: OAuth2TokenStore; budgets: RateBudgets; sleeper: ClockSleeper }) => Connector;
  serve: (s: SourceState, clock: TestClock) => { calls: string[]; auth: { refreshes: number } };
  isInvoiceList: (call: string) => boolean;
}

const CASES: Case[] = [
  {
    provider: 'quickbooks', pageSize: 1000, fixedCalls: 'preferences', fixed: 1, settings: { realmId: QBO_REALM },
    id: (kind, n) => String(n + { customer: 0, invoice: 100_000, credit_note: 500_000, payment: 800_000 }[kind]),
    connector: (d) => new QboConnector(d.config, d.tokens, d.budgets, d.sleeper),
    serve: (s, clock) => new FakeQbo(s, () => clock.now()).install(),
    isInvoiceList: (c) => c === 'GET query:Invoice',
  },
  {
    provider: 'sage', pageSize: 200, fixedCalls: 'businesses, financial_settings', fixed: 2, settings: {},
    id: (kind, n) => `${{ customer: 'c', invoice: 'a', credit_note: 'b', payment: 'd' }[kind]}${n.toString(16).padStart(31, '0')}`,
    connector: (d) => new SageConnector(d.config, d.tokens, d.budgets, d.sleeper),
    serve: (s) => new FakeSage(s).install(),
    isInvoiceList: (c) => c === 'GET sales_invoices',
  },
  {
    // Xero lists contacts, invoices, credit notes, overpayments, prepayments and payments:
    // the two empty lists cost one call each.
    provider: 'xero', pageSize: 1000, fixedCalls: 'overpayments, prepayments', fixed: 2, settings: { tenantId: XERO_TENANT },
    id: (kind, n) => `${{ customer: 'c', invoice: 'a', credit_note: 'b', payment: 'd' }[kind]}0000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
    connector: (d) => new XeroConnector(d.config, d.tokens, d.budgets, d.sleeper),
    serve: (s) => new FakeXero(s).install(),
    isInvoiceList: (c) => c === 'GET Invoices',
  },
];

async function main(): Promise<void> {
  Logger.overrideLogger(false);
  const admin = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = `lb_bench_conn_${randomBytes(4).toString('hex')}`;
  const pg = new Client({ connectionString: admin });
  await pg.connect();
  await pg.query(`CREATE DATABASE "${dbName}"`);
  const url = new URL(admin);
  url.pathname = `/${dbName}`;
  const ds = new DataSource(dataSourceOptions(url.toString(), 4));
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  try {
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
    const box = new SecretBox(randomBytes(32).toString('base64'));
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', QBO_API_URL: QBO_API, QBO_OAUTH_URL: QBO_TOKEN_URL, SAGE_API_URL: SAGE_API, SAGE_OAUTH_URL: SAGE_TOKEN_URL, ...XERO_ENV });
    console.log(`first sync: ${INVOICES} invoices, ${CUSTOMERS} customers, ${CREDIT_NOTES} credit notes, ${PAYMENTS} payments (allocations ${PAYMENTS})`);
    for (const c of CASES) {
      nock.cleanAll();
      const clock = new TestClock(new Date('2026-01-15T09:00:00Z'));
      const sleeper = new ClockSleeper(clock);
      const tokens = new OAuth2TokenStore(new ConnectionCredentialsLock(ds, box), clock);
      const connector = c.connector({ config, tokens, budgets: new RateBudgets(clock, sleeper), sleeper });
      const source = company(c.id);
      const vendor = c.serve(source, clock);
      const ids = await aSealedConnection(ds, box, { provider: c.provider, settings: c.settings, credentials: expiredCredentials() });
      const ctx = await pullContextFor(ds, box, ids, clock);
      const writer = new LedgerWriter(clock);
      const started = process.hrtime.bigint();
      let batches = 0;
      for await (const batch of connector.pull(ctx, null)) {
        batches++;
        await ds.transaction((em) => writer.write(em, ids, batch));
      }
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const [n] = await ds.query('SELECT count(*)::int AS n FROM invoices WHERE connection_id = $1 AND kind = $2', [ids.connectionId, 'invoice']);
      const calls = vendor.calls.length;
      const invoiceCalls = vendor.calls.filter(c.isInvoiceList).length;
      const pages = (k: number) => Math.max(1, Math.ceil(k / c.pageSize));
      const baseline = c.fixed + pages(CUSTOMERS) + pages(INVOICES) + pages(CREDIT_NOTES) + pages(PAYMENTS);
      console.log(
        `${c.provider.padEnd(10)} invoices in ledger ${n.n}; API calls ${calls} (invoice pages ${invoiceCalls}, baseline ${pages(INVOICES)}), ` +
          `+${vendor.auth.refreshes} token refresh; all calls vs baseline ${baseline} (${c.fixedCalls} + ceil(n/${c.pageSize}) per entity): ratio ${(calls / baseline).toFixed(2)}; ` +
          `${batches} batches in ${(ms / 1000).toFixed(2)} s (${Math.round((INVOICES / ms) * 1000)} invoices/s, fake vendor + ledger writer); ` +
          `minimum wall time at the vendor's rate limit: ${c.provider === 'sage' ? `${Math.ceil(calls / 100)} min (100/min)` : c.provider === 'xero' ? `${Math.ceil(calls / 60)} min (60/min; ${calls} of the 5,000 daily calls)` : `${Math.ceil((calls / 500) * 60)} s (500/min)`}`,
      );
    }
  } finally {
    nock.cleanAll();
    await ds.destroy().catch(() => undefined);
    await pg.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await pg.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
