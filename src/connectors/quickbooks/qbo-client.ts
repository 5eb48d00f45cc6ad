import type { ApiClient } from '../../common/http/api-client';
import { HttpStatusError } from '../../common/http/http-errors';
import { qboFaultError, readQboFault } from './qbo-fault';
import type { QboEntity } from './qbo-query';

/** The minor version every request pins (Intuit's supported baseline). */
export const QBO_MINOR_VERSION = '75';

/** Documented throttle: 500 requests per minute per company, 10 concurrent. */
export const QBO_RATE_LIMITS = { perMinute: 500, concurrent: 10 };

export interface QboQueryPage {
  records: unknown[];
  /** Server time of the response. */
  time: string | null;
}

/**
 * The QuickBooks Online v3 calls the connector makes, on the shared `ApiClient` (retry,
 * rate budget, OAuth2 refresh). Always `Accept: application/json` and the pinned
 * `minorversion`; a `Fault` body becomes a typed error whatever the HTTP status.
 */
export class QboClient {
  constructor(
    private readonly api: ApiClient,
    private readonly realmId: string,
  ) {}

  get calls(): number {
    return this.api.calls;
  }

  async query(entity: QboEntity, statement: string): Promise<QboQueryPage> {
    const body = await this.call<Record<string, unknown>>('GET', 'query', { query: statement });
    const qr = (body.QueryResponse ?? {}) as Record<string, unknown>;
    const list = qr[entity];
    return { records: Array.isArray(list) ? list : [], time: typeof body.time === 'string' ? body.time : null };
  }

  cdc(entities: readonly QboEntity[], changedSince: string): Promise<unknown> {
    return this.call('GET', 'cdc', { entities: entities.join(','), changedSince });
  }

  async homeCurrency(): Promise<string | null> {
    const body = await this.call<{ Preferences?: { CurrencyPrefs?: { HomeCurrency?: { value?: string } } } }>('GET', 'preferences');
    return body.Preferences?.CurrencyPrefs?.HomeCurrency?.value ?? null;
  }

  async companyName(): Promise<string | null> {
    const body = await this.call<{ CompanyInfo?: { CompanyName?: string } }>('GET', `companyinfo/${this.realmId}`);
    return body.CompanyInfo?.CompanyName ?? null;
  }

  async readInvoice(id: string): Promise<Record<string, unknown>> {
    const body = await this.call<{ Invoice?: Record<string, unknown> }>('GET', `invoice/${encodeURIComponent(id)}`);
    if (!body.Invoice) throw new Error(`invoice ${id}: response without Invoice`);
    return body.Invoice;
  }

  /** `POST /invoice` with `sparse: true`: only the given fields change. */
  async sparseUpdateInvoice(fields: { Id: string; SyncToken: string } & Record<string, unknown>): Promise<Record<string, unknown>> {
    const body = await this.call<{ Invoice?: Record<string, unknown> }>('POST', 'invoice', {}, { ...fields, sparse: true });
    return body.Invoice ?? {};
  }

  private async call<T>(method: 'GET' | 'POST', resource: string, params: Record<string, string> = {}, data?: unknown): Promise<T> {
    // Encoded here (spaces as %20, as Intuit's SDKs send them), not by axios (spaces as `+`).
    const query = Object.entries({ ...params, minorversion: QBO_MINOR_VERSION })
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
      .join('&');
    const url = `/v3/company/${encodeURIComponent(this.realmId)}/${resource}?${query}`;
    let body: unknown;
    try {
      const res = await this.api.request<unknown>({
        method,
        url,
        data,
        headers: { Accept: 'application/json', ...(data !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      });
      body = res.data;
    } catch (e) {
      if (e instanceof HttpStatusError) {
        const fault = readQboFault(e.body);
        if (fault) throw qboFaultError(fault, e.status);
      }
      throw e;
    }
    // A Fault can come with HTTP 200.
    const fault = readQboFault(body);
    if (fault) throw qboFaultError(fault, 200);
    if (body === null || typeof body !== 'object') throw qboFaultError({ type: 'SystemFault', code: '', message: 'response is not JSON', detail: '' }, 502);
    return body as T;
  }
}
