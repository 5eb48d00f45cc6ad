import type { ApiClient } from '../../common/http/api-client';
import { PermanentSyncError } from '../connector';

/** The largest `items_per_page` the API accepts. */
export const SAGE_MAX_PAGE = 200;
/** Documented limit: 100 requests per minute per business. */
export const SAGE_RATE_LIMITS = { perMinute: 100, concurrent: 5 };

export interface SageListPage {
  items: unknown[];
  /** `$next`: the path of the next page relative to the API base, or null on the last page. */
  next: string | null;
}

/**
 * The Sage Accounting v3.1 calls the connector makes, on the shared `ApiClient` (retry, rate
 * budget, OAuth2 refresh). Lists are `{"$total", "$page", "$next", "$back", "$itemsPerPage",
 * "$items"}`; every call but `/businesses` carries the `X-Business` header.
 */
export class SageClient {
  constructor(
    private readonly api: ApiClient,
    private businessId: string | null,
    /** The API base URL: an absolute `$next` must stay under it (the token is never sent elsewhere). */
    private readonly baseUrl = '',
  ) {}

  get calls(): number {
    return this.api.calls;
  }

  /** The business to use: the configured one, else the only one the user can access. */
  async resolveBusiness(): Promise<string> {
    if (this.businessId) return this.businessId;
    const res = await this.api.get<{ $items?: Array<{ id?: string; displayed_as?: string }> }>('/businesses');
    const items = res.data?.$items ?? [];
    if (items.length !== 1 || !items[0].id) {
      const names = items.map((b) => `${b.displayed_as ?? '?'} (${b.id})`).join(', ');
      throw new PermanentSyncError(`settings.businessId is required: the user has access to ${items.length} businesses: ${names || 'none'}`);
    }
    this.businessId = items[0].id;
    return this.businessId;
  }

  async baseCurrency(): Promise<string | null> {
    const body = await this.get<{ base_currency?: { id?: string } }>('/financial_settings');
    return body.base_currency?.id ?? null;
  }

  async list(path: string): Promise<SageListPage> {
    const body = await this.get<{ $items?: unknown[]; $next?: string | null }>(path);
    let next = typeof body.$next === 'string' && body.$next ? body.$next : null;
    if (next && this.baseUrl && next.startsWith(`${this.baseUrl.replace(/\/+$/, '')}/`)) next = next.slice(this.baseUrl.replace(/\/+$/, '').length);
    if (next && !next.startsWith('/')) throw new PermanentSyncError(`unexpected $next link ${JSON.stringify(next)}`);
    return { items: Array.isArray(body.$items) ? body.$items : [], next };
  }

  async readInvoiceNotes(id: string): Promise<string | null> {
    const body = await this.get<{ notes?: string | null }>(`/sales_invoices/${encodeURIComponent(id)}?attributes=notes`);
    return typeof body.notes === 'string' ? body.notes : null;
  }

  async updateInvoiceNotes(id: string, notes: string): Promise<void> {
    await this.send('PUT', `/sales_invoices/${encodeURIComponent(id)}`, { sales_invoice: { notes } });
  }

  private async get<T>(path: string): Promise<T> {
    const res = await this.api.request<T>({ method: 'GET', url: path, headers: await this.headers() });
    return (res.data ?? {}) as T;
  }

  private async send(method: 'PUT' | 'POST', path: string, data: unknown): Promise<void> {
    await this.api.request({ method, url: path, data, headers: { ...(await this.headers()), 'Content-Type': 'application/json' } });
  }

  private async headers(): Promise<Record<string, string>> {
    return { 'X-Business': await this.resolveBusiness() };
  }
}
