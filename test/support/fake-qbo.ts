import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import nock from 'nock';
import { byUpdated, FakeAuthServer, type InjectedFailure, type SourceState } from './fake-source';

// From test/support, or from a compiled copy (bench) run in the repository root.
const fixtureDir = [path.join(__dirname, '../fixtures/quickbooks'), path.resolve('test/fixtures/quickbooks')].find((d) => existsSync(d))!;
const cache = new Map<string, unknown>();
const fixture = (name: string) => {
  if (!cache.has(name)) cache.set(name, JSON.parse(readFileSync(path.join(fixtureDir, name), 'utf8')));
  return structuredClone(cache.get(name)) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
};

export const QBO_API = 'https://qbo.test';
export const QBO_TOKEN_URL = 'https://oauth.qbo.test/oauth2/v1/tokens/bearer';
export const QBO_REALM = '9130357992222222';

/** Renders source records as the documented QuickBooks Online v3 entities (fixtures as templates). */
export const qboRender = {
  customer(c: SourceState['customers'][number]) {
    const t = fixture('customers.json').QueryResponse.Customer[0];
    return { ...t, Id: c.id, DisplayName: c.name, CompanyName: c.name, FullyQualifiedName: c.name, CurrencyRef: { value: c.currency }, PrimaryEmailAddr: c.email ? { Address: c.email } : undefined, MetaData: { CreateTime: c.updatedAt, LastUpdatedTime: c.updatedAt } };
  },
  invoice(i: SourceState['invoices'][number]) {
    const t = fixture('invoice.json');
    return {
      ...t, Id: i.id, SyncToken: String(i.syncToken ?? 0), DocNumber: i.number, TxnDate: i.issueDate, DueDate: i.dueDate,
      CurrencyRef: { value: i.currency }, ExchangeRate: i.rate ? Number(i.rate) : undefined,
      CustomerRef: { value: i.customerId }, TotalAmt: i.malformed ? 'twelve' : Number(i.total), Balance: Number(i.balance),
      PrivateNote: i.note, MetaData: { CreateTime: i.updatedAt, LastUpdatedTime: i.updatedAt },
      Line: [{ ...t.Line[0], Amount: Number(i.total) }],
    };
  },
  creditMemo(c: SourceState['creditNotes'][number]) {
    const t = fixture('credit-memo.json');
    return { ...t, Id: c.id, DocNumber: c.number, TxnDate: c.issueDate, CurrencyRef: { value: c.currency }, CustomerRef: { value: c.customerId }, TotalAmt: Number(c.total), Balance: Number(c.balance), RemainingCredit: Number(c.balance), MetaData: { CreateTime: c.updatedAt, LastUpdatedTime: c.updatedAt } };
  },
  payment(p: SourceState['payments'][number]) {
    const t = fixture('payment.json');
    return {
      ...t, Id: p.id, TxnDate: p.date, CurrencyRef: { value: p.currency }, CustomerRef: { value: p.customerId }, TotalAmt: Number(p.amount), PaymentRefNum: p.reference,
      MetaData: { CreateTime: p.updatedAt, LastUpdatedTime: p.updatedAt },
      Line: p.lines.map((l) => ({ Amount: Number(l.amount), LinkedTxn: [{ TxnId: l.id, TxnType: l.kind === 'invoice' ? 'Invoice' : 'CreditMemo' }] })),
      // Voiding zeroes the amounts, unlinks the lines and marks PrivateNote.
      ...(p.voided ? { TotalAmt: 0, UnappliedAmt: 0, PrivateNote: 'Voided', Line: [] } : {}),
    };
  },
};

/**
 * A fake QuickBooks Online company on nock, answering like the documented API: the query
 * endpoint (WHERE Metadata.LastUpdatedTime >=, ORDERBY, STARTPOSITION/MAXRESULTS), CDC with
 * `status: Deleted`, preferences, company info, invoice read and sparse update with
 * SyncToken checks; Fault bodies for errors; 401 for any access token but the latest.
 */
export class FakeQbo {
  readonly auth = new FakeAuthServer(QBO_TOKEN_URL, 3600, 'basic');
  /** `GET query:Invoice`, `GET cdc`, `POST invoice`…, in order. */
  readonly calls: string[] = [];
  readonly failures: InjectedFailure[] = [];
  /** Query statements received, in order. */
  readonly statements: string[] = [];
  /** Answer the next sparse update(s) with a stale-object fault, as if someone edited meanwhile. */
  staleUpdates = 0;
  /** Sees every sparse-update body. */
  onUpdate?: (body: Record<string, unknown>) => void;

  constructor(
    readonly source: SourceState,
    private readonly now: () => Date,
    private readonly host = QBO_API,
  ) {}

  install(): this {
    this.auth.install();
    const self = this;
    const base = `/v3/company/${QBO_REALM}`;
    const scope = nock(this.host).persist();
    scope.get((p) => p.startsWith(`${base}/`)).reply(function (uri) {
      return self.answer('GET', uri, this.req.headers, undefined);
    });
    scope.post((p) => p.startsWith(`${base}/`)).reply(function (uri, body) {
      return self.answer('POST', uri, this.req.headers, body);
    });
    return this;
  }

  private answer(method: string, uri: string, headers: Record<string, unknown>, body: unknown): [number, unknown, Record<string, string>?] {
    const url = new URL(uri, this.host);
    const resource = url.pathname.replace(`/v3/company/${QBO_REALM}/`, '');
    const query = url.searchParams.get('query') ?? '';
    if (url.search.includes('+')) return [400, { Fault: { Error: [{ Message: 'query must be percent-encoded', code: '4000' }], type: 'ValidationFault' } }];
    this.calls.push(`${method} ${resource}${query ? `:${/FROM (\w+)/.exec(query)?.[1]}` : ''}`);
    if (query) this.statements.push(query);
    const time = this.now().toISOString();
    if (!this.auth.authorized(headers.authorization)) {
      return [401, fixture('fault-401.json')];
    }
    const failure = this.failures.shift();
    if (failure) return [failure.status, failure.body ?? '', failure.headers];
    if (url.searchParams.get('minorversion') !== '75' || !String(headers.accept).includes('application/json')) {
      return [400, { Fault: { Error: [{ Message: 'minorversion and Accept: application/json expected', code: '4000' }], type: 'ValidationFault' }, time }];
    }
    if (method === 'GET' && resource === 'query') return [200, this.query(query, time)];
    if (method === 'GET' && resource === 'cdc') return [200, this.cdc(url, time)];
    if (method === 'GET' && resource === 'preferences') return [200, fixture('preferences.json')];
    if (method === 'GET' && resource === `companyinfo/${QBO_REALM}`) return [200, { CompanyInfo: { CompanyName: 'Sandbox Company_US_1', Id: QBO_REALM }, time }];
    const inv = /^invoice\/(\w+)$/.exec(resource);
    if (method === 'GET' && inv) {
      const found = this.source.invoices.find((i) => i.id === inv[1]);
      return found ? [200, { Invoice: qboRender.invoice(found), time }] : [400, { Fault: { Error: [{ Message: 'Object Not Found', code: '610' }], type: 'ValidationFault' }, time }];
    }
    if (method === 'POST' && resource === 'invoice') return this.update(body as Record<string, unknown>, time);
    return [404, ''];
  }

  private query(statement: string, time: string) {
    const entity = /FROM (\w+)/.exec(statement)![1];
    const since = /LastUpdatedTime >= '([^']+)'/.exec(statement)?.[1];
    const start = Number(/STARTPOSITION (\d+)/.exec(statement)?.[1] ?? 1);
    const max = Math.min(1000, Number(/MAXRESULTS (\d+)/.exec(statement)?.[1] ?? 100));
    const lists: Record<string, Array<{ updatedAt: string; id: string }>> = {
      Customer: this.source.customers, Invoice: this.source.invoices, CreditMemo: this.source.creditNotes, Payment: this.source.payments,
    };
    const render: Record<string, (r: never) => unknown> = { Customer: qboRender.customer, Invoice: qboRender.invoice, CreditMemo: qboRender.creditMemo, Payment: qboRender.payment };
    const rows = [...lists[entity]].filter((r) => !since || Date.parse(r.updatedAt) >= Date.parse(since)).sort(byUpdated).slice(start - 1, start - 1 + max);
    return { QueryResponse: rows.length ? { [entity]: rows.map((r) => render[entity](r as never)), startPosition: start, maxResults: rows.length } : {}, time };
  }

  private cdc(url: URL, time: string) {
    const since = Date.parse(url.searchParams.get('changedSince')!);
    const entities = (url.searchParams.get('entities') ?? '').split(',');
    const kindOf: Record<string, string> = { Invoice: 'invoice', CreditMemo: 'credit_note', Payment: 'payment' };
    const lists: Record<string, Array<{ updatedAt: string; id: string }>> = {
      Customer: this.source.customers, Invoice: this.source.invoices, CreditMemo: this.source.creditNotes, Payment: this.source.payments,
    };
    const render: Record<string, (r: never) => unknown> = { Customer: qboRender.customer, Invoice: qboRender.invoice, CreditMemo: qboRender.creditMemo, Payment: qboRender.payment };
    const QueryResponse = entities.map((e) => ({
      [e]: [
        ...lists[e].filter((r) => Date.parse(r.updatedAt) > since).map((r) => render[e](r as never)),
        ...this.source.deleted.filter((d) => kindOf[e] === d.kind && Date.parse(d.at) > since).map((d) => ({ domain: 'QBO', status: 'Deleted', Id: d.id, MetaData: { LastUpdatedTime: d.at } })),
      ],
    }));
    return { CDCResponse: [{ QueryResponse }], time };
  }

  private update(body: Record<string, unknown>, time: string): [number, unknown] {
    this.onUpdate?.(body);
    const inv = this.source.invoices.find((i) => i.id === body.Id);
    if (!inv) return [400, { Fault: { Error: [{ Message: 'Object Not Found', code: '610' }], type: 'ValidationFault' }, time }];
    if (body.sparse !== true) return [400, { Fault: { Error: [{ Message: 'sparse update expected', code: '2000' }], type: 'ValidationFault' }, time }];
    if (this.staleUpdates > 0 || String(body.SyncToken) !== String(inv.syncToken ?? 0)) {
      if (this.staleUpdates > 0) {
        this.staleUpdates--;
        inv.syncToken = (inv.syncToken ?? 0) + 1; // someone else saved the invoice
      }
      return [400, fixture('fault-stale-object.json')];
    }
    if (typeof body.PrivateNote === 'string') inv.note = body.PrivateNote;
    inv.syncToken = (inv.syncToken ?? 0) + 1;
    inv.updatedAt = time;
    return [200, { Invoice: qboRender.invoice(inv), time }];
  }
}
