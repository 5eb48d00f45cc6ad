import { createHash } from 'node:crypto';
import type { ApiClient } from '../../common/http/api-client';

/** Xero Accounting API calls of one connection (tenant header, paths, envelopes). */
export class XeroClient {
  constructor(
    readonly api: ApiClient,
    private readonly tenantId: string,
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { 'xero-tenant-id': this.tenantId, ...extra };
  }

  /** One page of a list endpoint, ordered by `UpdatedDateUTC`. */
  async list(
    path: string,
    listField: string,
    q: { params: Record<string, string>; page: number; pageSize: number; ifModifiedSince: string | null },
  ): Promise<{ rows: unknown[]; serverTime: string | null; more: boolean }> {
    const res = await this.api.get<Record<string, unknown>>(path, {
      params: { ...q.params, order: 'UpdatedDateUTC ASC', page: String(q.page), pageSize: String(q.pageSize) },
      headers: this.headers(q.ifModifiedSince ? { 'If-Modified-Since': q.ifModifiedSince } : {}),
    });
    if (res.status === 304 || !res.data) return { rows: [], serverTime: null, more: false };
    const rows = Array.isArray(res.data[listField]) ? (res.data[listField] as unknown[]) : [];
    // The envelope's `pagination` says whether this query has more pages (Xero may use a
    // smaller page than asked); without it, a full page means there may be more.
    const p = res.data.pagination as { page?: unknown; pageCount?: unknown } | undefined;
    const more = typeof p?.page === 'number' && typeof p.pageCount === 'number' ? p.page < p.pageCount : rows.length >= q.pageSize;
    return { rows, serverTime: typeof res.data.DateTimeUTC === 'string' ? res.data.DateTimeUTC : null, more };
  }

  async organisation(): Promise<{ name: string | null }> {
    const res = await this.api.get<{ Organisations?: Array<{ Name?: string }> }>('/Organisation', { headers: this.headers() });
    return { name: res.data?.Organisations?.[0]?.Name ?? null };
  }

  /** The `Details` of an invoice's history records. */
  async invoiceHistory(invoiceId: string): Promise<string[]> {
    const res = await this.api.get<{ HistoryRecords?: Array<{ Details?: unknown }> }>(`/Invoices/${encodeURIComponent(invoiceId)}/History`, {
      headers: this.headers(),
    });
    return (res.data?.HistoryRecords ?? []).map((r) => (typeof r.Details === 'string' ? r.Details : ''));
  }

  /** Adds a history note to an invoice; the key makes a retried call apply once. */
  async addInvoiceNote(invoiceId: string, details: string, idempotencyKey: string): Promise<void> {
    await this.api.request({
      method: 'PUT',
      url: `/Invoices/${encodeURIComponent(invoiceId)}/History`,
      data: { HistoryRecords: [{ Details: details.slice(0, 2000) }] },
      headers: this.headers({ 'Content-Type': 'application/json', 'Idempotency-Key': xeroIdempotencyKey(idempotencyKey) }),
    });
  }
}

/** Xero accepts keys of at most 128 characters: longer ones are hashed (stable). */
export function xeroIdempotencyKey(key: string): string {
  return key.length <= 128 ? key : `lb-${createHash('sha256').update(key).digest('hex')}`;
}
