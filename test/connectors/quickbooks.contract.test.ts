import { APP_CONFIG } from '../../src/common/config/config.module';
import { OAuth2TokenStore } from '../../src/common/http/oauth2-token-store';
import { RateBudgets } from '../../src/common/http/rate-budget';
import { QboConnector } from '../../src/connectors/quickbooks/qbo.connector';
import { apiConnectorContract } from '../support/api-connector-contract';
import { FakeQbo, QBO_API, QBO_REALM, QBO_TOKEN_URL } from '../support/fake-qbo';

apiConnectorContract({
  provider: 'quickbooks',
  env: { QBO_API_URL: QBO_API, QBO_OAUTH_URL: QBO_TOKEN_URL },
  settings: { realmId: QBO_REALM },
  pageSize: 1000,
  connector: (app, sleeper, clock) => new QboConnector(app.app.get(APP_CONFIG), app.app.get(OAuth2TokenStore), new RateBudgets(clock, sleeper), sleeper),
  serve: (source, clock) => new FakeQbo(source, () => clock.now()).install(),
  sourceId: (_kind, n) => String(n + ({ customer: 0, invoice: 1000, credit_note: 5000, payment: 8000 } as const)[_kind]),
  ledgerId: (kind, id) => (kind === 'credit_note' ? `CreditMemo:${id}` : id),
  isInvoiceListCall: (c) => c === 'GET query:Invoice',
  throttled: (s) => ({ status: 429, body: { Fault: { Error: [{ Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429', Detail: 'The request limit was reached.', code: '003001' }], type: 'SERVICE' } }, headers: { 'retry-after': String(s) } }),
  invoiceNote: (source, id) => source.invoices.find((i) => i.id === id)?.note,
});
