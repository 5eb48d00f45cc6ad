import { APP_CONFIG } from '../../src/common/config/config.module';
import { OAuth2TokenStore } from '../../src/common/http/oauth2-token-store';
import { RateBudgets } from '../../src/common/http/rate-budget';
import { SageConnector } from '../../src/connectors/sage/sage.connector';
import { apiConnectorContract } from '../support/api-connector-contract';
import { FakeSage, SAGE_API, SAGE_TOKEN_URL } from '../support/fake-sage';

apiConnectorContract({
  provider: 'sage',
  env: { SAGE_API_URL: SAGE_API, SAGE_OAUTH_URL: SAGE_TOKEN_URL },
  settings: {},
  pageSize: 200,
  connector: (app, sleeper, clock) => new SageConnector(app.app.get(APP_CONFIG), app.app.get(OAuth2TokenStore), new RateBudgets(clock, sleeper), sleeper),
  serve: (source) => new FakeSage(source).install(),
  sourceId: (kind, n) => `${({ customer: 'c', invoice: 'a', credit_note: 'b', payment: 'd' } as const)[kind]}${n.toString(16).padStart(31, '0')}`,
  ledgerId: (_kind, id) => id,
  isInvoiceListCall: (c) => c === 'GET sales_invoices',
  throttled: (s) => ({ status: 429, body: [{ $severity: 'error', $dataCode: 'TooManyRequests', $message: 'Rate limit exceeded', $source: '' }], headers: { 'retry-after': String(s) } }),
  invoiceNote: (source, id) => source.invoices.find((i) => i.id === id)?.note,
});
