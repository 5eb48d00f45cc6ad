import { APP_CONFIG } from '../../src/common/config/config.module';
import { OAuth2TokenStore } from '../../src/common/http/oauth2-token-store';
import { RateBudgets } from '../../src/common/http/rate-budget';
import { XeroConnector } from '../../src/connectors/xero/xero.connector';
import { apiConnectorContract } from '../support/api-connector-contract';
import { FakeXero, XERO_ENV } from '../support/fake-xero';
import { XERO_TENANT } from '../support/xero-fixtures';

const fakes = new WeakMap<object, FakeXero>();
const uuid = (p: string, n: number) => `${p}0000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

apiConnectorContract({
  provider: 'xero',
  env: XERO_ENV,
  settings: { tenantId: XERO_TENANT },
  pageSize: 1000,
  connector: (app, sleeper, clock) => new XeroConnector(app.app.get(APP_CONFIG), app.app.get(OAuth2TokenStore), new RateBudgets(clock, sleeper), sleeper),
  serve: (source) => {
    const fake = new FakeXero(source).install();
    fakes.set(source, fake);
    return fake;
  },
  sourceId: (kind, n) => uuid(({ customer: 'c', invoice: 'a', credit_note: 'b', payment: 'd' } as const)[kind], n),
  ledgerId: (_kind, id) => id,
  isInvoiceListCall: (c) => c === 'GET Invoices',
  throttled: (s) => ({ status: 429, body: '', headers: { 'Retry-After': String(s), 'X-Rate-Limit-Problem': 'minute' } }),
  invoiceNote: (source, id) => {
    const inv = source.invoices.find((i) => i.id === id);
    return [inv?.note, ...(fakes.get(source)?.history.get(id) ?? [])].filter(Boolean).join('\n');
  },
});
