import nock from 'nock';
import { splitReceipt } from '../../src/connectors/payment-allocations';
import { parseXeroInstant } from '../../src/connectors/xero/xero-dates';
import { byUpdated, FakeAuthServer, type InjectedFailure, type SourceState } from './fake-source';
import { aXeroContact, aXeroCreditNote, aXeroInvoice, aXeroOverpayment, aXeroPayment, officialXero, XERO_TENANT, xeroPage } from './xero-fixtures';

export const XERO_API_ORIGIN = 'https://api.xero.test';
export const XERO_IDENTITY_ORIGIN = 'https://identity.xero.test';
export const XERO_LOGIN_ORIGIN = 'https://login.xero.test';
export const XERO_ENV = { XERO_API_URL: XERO_API_ORIGIN, XERO_IDENTITY_URL: XERO_IDENTITY_ORIGIN, XERO_LOGIN_URL: XERO_LOGIN_ORIGIN };

type Rec = Record<string, unknown>;
const BASE = '/api.xro/2.0';
const LISTS = ['Contacts', 'Invoices', 'CreditNotes', 'Overpayments', 'Prepayments', 'Payments'] as const;
type ListName = (typeof LISTS)[number];
const num = (s: string) => Number(s);

/** Overpayments the tests add directly in Xero's shape (no vendor-neutral equivalent). */
export interface XeroExtras {
  overpayments: Rec[];
  prepayments: Rec[];
}

/**
 * A fake Xero organisation on nock, rendering the vendor-neutral source in Xero's documented
 * JSON (official examples as templates): list endpoints with `If-Modified-Since` (strictly
 * after), `order=UpdatedDateUTC ASC`, `page`, `pageSize` (≤ 1000, default 100); deleted and
 * voided records stay listed with their status; the `xero-tenant-id` header required; rate
 * limit headers on every answer; invoice history read and written (Idempotency-Key honoured).
 */
export class FakeXero {
  readonly auth = new FakeAuthServer(`${XERO_IDENTITY_ORIGIN}/connect/token`, 1800, 'basic');
  readonly calls: string[] = [];
  readonly failures: InjectedFailure[] = [];
  readonly extras: XeroExtras = { overpayments: [], prepayments: [] };
  /** History notes per invoice id. */
  readonly history = new Map<string, string[]>();
  /** Requests seen per Idempotency-Key (a replayed key is answered, not applied). */
  readonly idempotency = new Map<string, number>();
  /** List requests: which list, page and `If-Modified-Since`. */
  readonly listRequests: Array<{ list: string; page: number; pageSize: number; ifModifiedSince: string | null }> = [];
  dayRemaining = 5000;
  /** Hook run on each list request before answering (e.g. to change the source mid-run). */
  onList?: (list: ListName, page: number) => void;
  private readonly rendered = new Map<string, Rec>();

  constructor(readonly source: SourceState) {}

  install(): this {
    this.auth.install();
    const self = this;
    const scope = nock(XERO_API_ORIGIN).persist();
    scope.get((p) => p.startsWith(BASE)).reply(function (uri) {
      return self.answer('GET', uri, this.req.headers, undefined);
    });
    scope.put((p) => p.startsWith(BASE)).reply(function (uri, body) {
      return self.answer('PUT', uri, this.req.headers, body);
    });
    return this;
  }

  private limits(): Record<string, string> {
    return { 'X-DayLimit-Remaining': String(this.dayRemaining), 'X-MinLimit-Remaining': '55', 'X-AppMinLimit-Remaining': '9990' };
  }

  private answer(method: string, uri: string, headers: Record<string, unknown>, body: unknown): [number, unknown, Record<string, string>?] {
    const url = new URL(uri, XERO_API_ORIGIN);
    const resource = url.pathname.slice(BASE.length + 1);
    this.calls.push(`${method} ${resource.replace(/\/[0-9a-f-]{8,}/g, '/{id}')}`);
    if (!this.auth.authorized(headers.authorization)) {
      return [401, { Type: null, Title: 'Unauthorized', Status: 401, Detail: 'AuthenticationUnsuccessful' }, { 'WWW-Authenticate': 'Bearer error="invalid_token"' }];
    }
    const failure = this.failures.shift();
    if (failure) return [failure.status, failure.body ?? '', failure.headers];
    if (headers['xero-tenant-id'] !== XERO_TENANT) return [403, { Type: null, Title: 'Forbidden', Status: 403, Detail: 'AuthenticationUnsuccessful' }];
    this.dayRemaining--;
    if (resource === 'Organisation') return [200, officialXero('organisation'), this.limits()];
    const hist = /^Invoices\/([^/]+)\/History$/.exec(resource);
    if (hist && !this.source.invoices.some((i) => i.id === decodeURIComponent(hist[1]))) return this.notFound();
    if (hist) return this.historyAnswer(method, decodeURIComponent(hist[1]), headers, body);
    if ((LISTS as readonly string[]).includes(resource)) return [200, this.list(resource as ListName, url, headers['if-modified-since']), this.limits()];
    return this.notFound();
  }

  private notFound(): [number, unknown] {
    return [404, { Type: null, Title: 'Resource not found', Status: 404, Detail: 'The resource you\'re looking for cannot be found' }];
  }

  private historyAnswer(method: string, invoiceId: string, headers: Record<string, unknown>, body: unknown): [number, unknown, Record<string, string>] {
    const notes = this.history.get(invoiceId) ?? [];
    if (method === 'PUT') {
      const key = String(headers['idempotency-key'] ?? '');
      const seen = this.idempotency.get(key) ?? 0;
      this.idempotency.set(key, seen + 1);
      const details = ((body as { HistoryRecords: Array<{ Details: string }> }).HistoryRecords ?? []).map((r) => r.Details);
      if (!key || seen === 0) this.history.set(invoiceId, [...notes, ...details]);
      const out = officialXero<Rec>('invoice-history');
      return [200, { ...out, HistoryRecords: details.map((d) => ({ DateUTCString: '2026-01-15T09:00:00', DateUTC: '/Date(1768467600000)/', Details: d, ValidationErrors: [] })) }, this.limits()];
    }
    return [200, { HistoryRecords: notes.map((d) => ({ Changes: 'Note', DateUTC: '/Date(1768467600000+0000)/', User: 'System Generated', Details: d })) }, this.limits()];
  }

  /** Every record of a list, in Xero's shape, with its UpdatedDateUTC. */
  renderAll(list: ListName): Rec[] {
    const s = this.source;
    const keep = (id: string, r: Rec) => {
      this.rendered.set(`${list}:${id}`, r);
      return r;
    };
    const gone = (kind: 'invoice' | 'credit_note' | 'payment', status: string) =>
      s.deleted.filter((d) => d.kind === kind).flatMap((d) => {
        const prefix = `${list}:${d.id}`;
        return [...this.rendered.entries()]
          .filter(([k]) => k === prefix || k.startsWith(`${prefix}:`))
          .map(([, r]) => ({ ...r, Status: status, ...(r.BatchPayment ? { BatchPayment: { ...(r.BatchPayment as Rec), Status: status } } : {}), UpdatedDateUTC: `/Date(${Date.parse(d.at)}+0000)/` }));
      });
    const receipts = s.payments.map((p) => ({ p, allocs: splitReceipt({ externalId: p.id, currency: p.currency, date: p.date }, p.lines.map((l) => ({ kind: l.kind, externalId: l.id, amountMinor: BigInt(Math.round(num(l.amount) * 100)) }))) }));
    switch (list) {
      case 'Contacts':
        return s.customers.map((c) => keep(c.id, aXeroContact({ id: c.id, name: c.name, email: c.email, updated: c.updatedAt, currency: c.currency })));
      case 'Invoices':
        return [
          ...s.invoices.map((i) => {
            const r = aXeroInvoice({ id: i.id, number: i.number, contactId: i.customerId, total: i.malformed ? 'twelve' : num(i.total), date: i.issueDate, due: i.dueDate, updated: i.updatedAt, currency: i.currency, rate: i.rate ? num(i.rate) : 1, status: num(i.balance) === 0 ? 'PAID' : 'AUTHORISED' });
            r.AmountDue = num(i.balance);
            return keep(i.id, r);
          }),
          ...gone('invoice', 'DELETED'),
        ];
      case 'CreditNotes':
        return [
          ...s.creditNotes.map((c) => {
            const mine = receipts.flatMap(({ p, allocs }) => allocs.filter((a) => a.creditNoteExternalId === c.id).map((a) => ({ a, at: p.updatedAt })));
            const updated = [c.updatedAt, ...mine.map((m) => m.at)].sort().at(-1)!;
            return keep(c.id, aXeroCreditNote({
              id: c.id, number: c.number, contactId: c.customerId, total: num(c.total), date: c.issueDate, updated, currency: c.currency, status: num(c.balance) === 0 ? 'PAID' : 'AUTHORISED',
              allocations: mine.map(({ a }) => ({ invoiceId: a.invoiceExternalId, amount: Number(a.amountMinor) / 100, date: a.date })),
            }));
          }),
          ...gone('credit_note', 'DELETED'),
        ];
      case 'Payments':
        return [
          ...receipts.flatMap(({ p, allocs }) => {
            const cash = allocs.filter((a) => a.paymentExternalId);
            const batch = cash.length > 1 ? { id: p.id, total: p.amount } : undefined;
            return cash.map((a) => {
              const pid = batch ? `${p.id}:${a.invoiceExternalId}` : p.id;
              const r = aXeroPayment({ id: pid, invoiceId: a.invoiceExternalId, contactId: p.customerId, amount: Number(a.amountMinor) / 100, date: p.date, updated: p.updatedAt, currency: p.currency, batch });
              r.Reference = p.reference ?? '';
              if (batch) (r.BatchPayment as Rec).Reference = p.reference ?? '';
              return keep(pid, r);
            });
          }),
          ...gone('payment', 'DELETED'),
        ];
      case 'Overpayments':
        return this.extras.overpayments;
      case 'Prepayments':
        return this.extras.prepayments;
    }
  }

  private list(list: ListName, url: URL, ifModifiedSince: unknown): Rec {
    const page = Number(url.searchParams.get('page') ?? 1);
    const pageSize = Math.min(1000, Number(url.searchParams.get('pageSize') ?? 100));
    this.onList?.(list, page);
    const since = typeof ifModifiedSince === 'string' ? ifModifiedSince : null;
    this.listRequests.push({ list, page, pageSize, ifModifiedSince: since });
    const at = (r: Rec) => parseXeroInstant(r.UpdatedDateUTC)!.toISOString();
    const id = (r: Rec) => String(r.ContactID ?? r.InvoiceID ?? r.CreditNoteID ?? r.PaymentID ?? r.OverpaymentID ?? r.PrepaymentID);
    const rows = this.renderAll(list)
      .filter((r) => !since || Date.parse(at(r)) > Date.parse(since))
      .map((r) => ({ r, updatedAt: at(r), id: id(r) }))
      .sort(byUpdated)
      .map((x) => x.r);
    return xeroPage(list, rows.slice((page - 1) * pageSize, page * pageSize), { page, pageSize, itemCount: rows.length });
  }
}
