import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import nock from 'nock';
import { byUpdated, FakeAuthServer, type InjectedFailure, type SourceState } from './fake-source';

// From test/support, or from a compiled copy (bench) run in the repository root.
const fixtureDir = [path.join(__dirname, '../fixtures/sage'), path.resolve('test/fixtures/sage')].find((d) => existsSync(d))!;
const cache = new Map<string, unknown>();
const fixture = (name: string) => {
  if (!cache.has(name)) cache.set(name, JSON.parse(readFileSync(path.join(fixtureDir, name), 'utf8')));
  return structuredClone(cache.get(name)) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
};

export const SAGE_ORIGIN = 'https://sage.test';
export const SAGE_API = `${SAGE_ORIGIN}/v3.1`;
export const SAGE_TOKEN_URL = 'https://oauth.sage.test/token';
export const SAGE_BUSINESS = '0d40342d0287cd6b13555c54afca6c90';

const link = (kind: string, id: string) => ({ id, displayed_as: id, $path: `/${kind}/${id}` });
const status = (total: string, balance: string) =>
  Number(balance) === 0 ? { id: 'PAID' } : Number(balance) < Number(total) ? { id: 'PART_PAID' } : { id: 'UNPAID' };

/** Renders source records as documented Sage Accounting v3.1 resources (fixtures as templates). */
export const sageRender = {
  contacts(c: SourceState['customers'][number]) {
    return { ...fixture('contact.json'), id: c.id, name: c.name, displayed_as: c.name, email: c.email ?? null, main_contact_person: null, currency: { id: c.currency }, updated_at: c.updatedAt };
  },
  sales_invoices(i: SourceState['invoices'][number]) {
    return {
      ...fixture('sales-invoice.json'), id: i.id, invoice_number: i.number, displayed_as: i.number, contact: link('contacts', i.customerId), date: i.issueDate, due_date: i.dueDate,
      currency: { id: i.currency }, exchange_rate: i.rate ? Number(i.rate) : 1, total_amount: i.malformed ? 'twelve' : Number(i.total), outstanding_amount: Number(i.balance),
      status: status(i.total, i.balance), notes: i.note ?? null, updated_at: i.updatedAt,
    };
  },
  sales_credit_notes(c: SourceState['creditNotes'][number]) {
    return { ...fixture('sales-credit-note.json'), id: c.id, credit_note_number: c.number, contact: link('contacts', c.customerId), date: c.issueDate, currency: { id: c.currency }, total_amount: Number(c.total), outstanding_amount: Number(c.balance), status: status(c.total, c.balance), updated_at: c.updatedAt };
  },
  contact_payments(p: SourceState['payments'][number]) {
    return {
      ...fixture('contact-payment.json'), id: p.id, contact: link('contacts', p.customerId), date: p.date, currency: { id: p.currency }, total_amount: Number(p.amount), reference: p.reference ?? null, updated_at: p.updatedAt,
      allocated_artefacts: p.lines.map((l, n) => ({ id: `${p.id}-${n}`, artefact: link(l.kind === 'invoice' ? 'sales_invoices' : 'sales_credit_notes', l.id), amount: l.kind === 'invoice' ? Number(l.amount) : -Number(l.amount), discount: 0 })),
    };
  },
};

/**
 * A fake Sage Business Cloud Accounting business on nock: `/businesses`, list endpoints with
 * `updated_or_created_since` (inclusive), `deleted_since` (exclusive), `sort`,
 * `items_per_page` (≤ 200) and `page`, answered as `$items` with `$next` links; the
 * `X-Business` header required; invoice notes read and PUT.
 */
export class FakeSage {
  readonly auth = new FakeAuthServer(SAGE_TOKEN_URL, 300, 'body');
  readonly calls: string[] = [];
  readonly failures: InjectedFailure[] = [];
  businesses = [{ id: SAGE_BUSINESS, displayed_as: 'Volières Martin SARL' }];
  /** Customer allocations (credit notes set against invoices without a receipt), as Sage JSON. */
  readonly allocations: Array<Record<string, unknown> & { id: string; updated_at: string }> = [];
  readonly deletedAllocations: Array<{ id: string; at: string }> = [];

  constructor(readonly source: SourceState) {}

  install(): this {
    this.auth.install();
    const self = this;
    const scope = nock(SAGE_ORIGIN).persist();
    scope.get((p) => p.startsWith('/v3.1/')).reply(function (uri) {
      return self.answer('GET', uri, this.req.headers, undefined);
    });
    scope.put((p) => p.startsWith('/v3.1/')).reply(function (uri, body) {
      return self.answer('PUT', uri, this.req.headers, body);
    });
    return this;
  }

  private answer(method: string, uri: string, headers: Record<string, unknown>, body: unknown): [number, unknown, Record<string, string>?] {
    const url = new URL(uri, SAGE_ORIGIN);
    const resource = url.pathname.replace('/v3.1/', '');
    this.calls.push(`${method} ${resource}${url.searchParams.has('deleted_since') ? ':deleted' : ''}`);
    if (!this.auth.authorized(headers.authorization)) return [401, [{ $severity: 'error', $dataCode: 'Unauthorized', $message: 'Unauthorized', $source: '' }]];
    const failure = this.failures.shift();
    if (failure) return [failure.status, failure.body ?? '', failure.headers];
    if (resource === 'businesses') return [200, { $total: this.businesses.length, $page: 1, $next: null, $back: null, $itemsPerPage: 20, $items: this.businesses }];
    if (headers['x-business'] !== SAGE_BUSINESS) return [404, [{ $severity: 'error', $dataCode: 'RecordNotFound', $message: 'Business not found', $source: 'X-Business' }]];
    if (resource === 'financial_settings') return [200, fixture('financial-settings.json')];
    const one = /^sales_invoices\/(\w+)$/.exec(resource);
    if (one) {
      const inv = this.source.invoices.find((i) => i.id === one[1]);
      if (!inv) return [404, [{ $severity: 'error', $dataCode: 'RecordNotFound', $message: 'not found', $source: '' }]];
      if (method === 'PUT') {
        inv.note = (body as { sales_invoice: { notes: string } }).sales_invoice.notes;
        inv.updatedAt = new Date(Date.parse(inv.updatedAt) + 1000).toISOString();
      }
      return [200, { id: inv.id, displayed_as: inv.number, $path: `/sales_invoices/${inv.id}`, notes: inv.note ?? null }];
    }
    return [200, this.list(resource, url)];
  }

  private list(resource: string, url: URL) {
    const perPage = Math.min(200, Number(url.searchParams.get('items_per_page') ?? 20));
    const page = Number(url.searchParams.get('page') ?? 1);
    let rows: unknown[];
    const deletedSince = url.searchParams.get('deleted_since');
    if (deletedSince) {
      const kind = { sales_invoices: 'invoice', sales_credit_notes: 'credit_note', contact_payments: 'payment' }[resource];
      const deleted = resource === 'contact_allocations' ? this.deletedAllocations.map((d) => ({ kind, ...d })) : this.source.deleted;
      rows = deleted.filter((d) => d.kind === kind && Date.parse(d.at) > Date.parse(deletedSince)).map((d) => ({ id: d.id, deleted_at: d.at }));
    } else if (resource === 'contact_allocations') {
      const since = url.searchParams.get('updated_or_created_since');
      rows = this.allocations
        .filter((a) => !since || Date.parse(a.updated_at) >= Date.parse(since))
        .sort((a, b) => Date.parse(a.updated_at) - Date.parse(b.updated_at) || (a.id < b.id ? -1 : 1));
    } else {
      const since = url.searchParams.get('updated_or_created_since');
      const lists: Record<string, Array<{ updatedAt: string; id: string }>> = {
        contacts: this.source.customers, sales_invoices: this.source.invoices, sales_credit_notes: this.source.creditNotes, contact_payments: this.source.payments,
      };
      const render = sageRender[resource as keyof typeof sageRender] as (r: never) => unknown;
      rows = [...lists[resource]].filter((r) => !since || Date.parse(r.updatedAt) >= Date.parse(since)).sort(byUpdated).map((r) => render(r as never));
    }
    const items = rows.slice((page - 1) * perPage, page * perPage);
    const more = page * perPage < rows.length;
    const nextParams = new URLSearchParams(url.searchParams);
    nextParams.set('page', String(page + 1));
    return {
      $total: rows.length, $page: page, $next: more ? `/${resource}?${nextParams.toString()}` : null, $back: page > 1 ? `/${resource}?page=${page - 1}` : null,
      $itemsPerPage: perPage, $items: items,
    };
  }
}
