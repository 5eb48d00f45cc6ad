import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../../common/config/app-config';
import { APP_CONFIG } from '../../common/config/config.module';
import { ApiClient } from '../../common/http/api-client';
import { OAuth2Client } from '../../common/http/oauth2-client';
import { OAuth2TokenStore } from '../../common/http/oauth2-token-store';
import { RateBudgets } from '../../common/http/rate-budget';
import type { RetryPolicy } from '../../common/http/retry-policy';
import { Sleeper } from '../../common/http/sleeper';
import type { Connector, ConnectorManifest, Cursor, PullContext, StatusUpdate, SyncBatch } from '../connector';
import { PermanentSyncError } from '../connector';
import { NOTE_MARKER } from '../status-note';
import { mapRecords, type RejectedRecord, RejectionLog } from '../vendor-record';
import { XeroClient } from './xero-client';
import { advanceMark, imsFor, nextRequest, readXeroCursor, type XeroCursor, type XeroWatermark } from './xero-cursor';
import type { XeroMapped } from './xero-document.mapper';
import { XERO_ENTITIES } from './xero-entities';
import { updatedAtOf } from './xero-record';
import { XERO_LIMITS, XeroCredentials, XeroSettings } from './xero-settings';

export const XERO_MAX_PAGE_SIZE = 1000;
/** A write-back waits little: a failure goes back to the caller's outbox, which retries later. */
const WRITE_BACK_RETRY: Partial<RetryPolicy> = { maxAttempts: 3, maxTotalMs: 30_000 };

/**
 * Xero: customers (contacts), ACCREC invoices and credit notes, payments, overpayments and
 * prepayments with their allocations. Incremental by `If-Modified-Since` on `UpdatedDateUTC`
 * (keyset paging, largest page size); deleted, voided and archived records become tombstones.
 * Write-back: a history note on the invoice.
 */
@Injectable()
export class XeroConnector implements Connector {
  readonly manifest: ConnectorManifest = {
    id: 'xero',
    displayName: 'Xero',
    entities: ['customers', 'invoices', 'credit_notes', 'payments', 'allocations'],
    mode: 'incremental',
    writeBack: true,
    auth: 'oauth2',
    settingsSchema: XeroSettings,
    credentialsSchema: XeroCredentials,
  };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tokens: OAuth2TokenStore,
    private readonly budgets: RateBudgets,
    private readonly sleeper: Sleeper,
  ) {}

  /** `retry` narrows the retry policy (write-back: the caller's outbox retries later). */
  client(ctx: PullContext, retry?: Partial<RetryPolicy>): XeroClient {
    const settings = ctx.settings as XeroSettings;
    if (!settings.tenantId) throw new PermanentSyncError('no Xero organisation is bound to this connection (settings.tenantId): authorize it first');
    const common = { connectionId: ctx.connectionId, logger: ctx.logger, clock: ctx.clock, sleeper: this.sleeper, signal: ctx.signal };
    const session = this.tokens.session(ctx, new OAuth2Client({ tokenUrl: `${this.config.xero.identityUrl}/connect/token`, clientAuth: 'basic' }, common));
    const api = new ApiClient({
      ...common,
      baseURL: `${this.config.xero.apiUrl}/api.xro/2.0`,
      budget: this.budgets.for(ctx.connectionId, XERO_LIMITS),
      auth: session,
      retry,
    });
    return new XeroClient(api, settings.tenantId);
  }

  async *pull(ctx: PullContext, cursor: Cursor | null): AsyncIterable<SyncBatch> {
    const xero = this.client(ctx);
    const pageSize = (ctx.settings as XeroSettings).pageSize ?? XERO_MAX_PAGE_SIZE;
    const state = readXeroCursor(cursor);
    const startAt = state.phase ? Math.max(0, XERO_ENTITIES.findIndex((e) => e.key === state.phase)) : 0;
    const done = { ...state.done };
    // The runner merges batch details key by key: every batch carries the rejections so far.
    const rejections = new RejectionLog();
    for (let i = startAt; i < XERO_ENTITIES.length; i++) {
      const spec = XERO_ENTITIES[i];
      const resuming = state.phase === spec.key;
      let ims = resuming && state.ims !== undefined ? state.ims : imsFor(done[spec.key]);
      let page = resuming ? (state.page ?? 1) : 1;
      let mark: XeroWatermark = resuming && state.mark ? state.mark : (done[spec.key] ?? { at: null, recent: [] });
      for (;;) {
        ctx.signal.throwIfAborted();
        const requested = page;
        const { rows, more } = await xero.list(spec.path, spec.listField, { params: spec.params, page, pageSize, ifModifiedSince: ims });
        const recent = new Set(mark.recent);
        const fresh: unknown[] = [];
        const seen: Array<{ key: string; at: Date }> = [];
        let pageMax: Date | null = null;
        for (const raw of rows) {
          const at = updatedAtOf(raw);
          const id = (raw as Record<string, unknown> | null)?.[spec.idField];
          if (at && (!pageMax || at > pageMax)) pageMax = at;
          const key = at && typeof id === 'string' ? `${id}@${at.getTime()}` : null;
          if (key && recent.has(key)) continue; // already pulled (overlap window)
          if (key && at) seen.push({ key, at });
          fresh.push(raw);
        }
        const rejected: RejectedRecord[] = [];
        const mapped = mapRecords(fresh, (raw) => spec.map(raw), rejected);
        rejections.add(rejected);
        mark = advanceMark(mark, seen);
        const full = more && rows.length > 0;
        let next: XeroCursor;
        if (full) {
          ({ ims, page } = nextRequest(ims, page, pageMax));
          next = { v: 1, done: { ...done }, phase: spec.key, ims, page, mark };
        } else {
          done[spec.key] = mark;
          const following = XERO_ENTITIES[i + 1];
          next = following ? { v: 1, done: { ...done }, phase: following.key } : { v: 1, done: { ...done } };
        }
        yield {
          ...merge(mapped),
          cursor: next as unknown as Cursor,
          details: {
            entity: spec.key,
            page: requested,
            records: rows.length,
            apiCalls: xero.api.calls,
            ...rejections.details(),
          },
        };
        if (!full) break;
      }
    }
  }

  async testConnection(ctx: PullContext): Promise<void> {
    await this.client(ctx).organisation();
  }

  /**
   * Adds `[Ledgerbridge] <message>` to the invoice's history, once: a note already in the
   * history is not added again (a retried push after a lost answer), and the Idempotency-Key
   * covers retries of the PUT itself. Failures are thrown for the caller's outbox to retry.
   */
  async pushStatus(ctx: PullContext, update: StatusUpdate): Promise<void> {
    const xero = this.client(ctx, WRITE_BACK_RETRY);
    const details = `${NOTE_MARKER}${update.message.replace(/\s+/g, ' ').trim()}`;
    if ((await xero.invoiceHistory(update.invoiceExternalId)).includes(details)) return;
    await xero.addInvoiceNote(update.invoiceExternalId, details, update.idempotencyKey);
  }
}

function merge(parts: XeroMapped[]): Omit<SyncBatch, 'cursor'> {
  const out: Required<Omit<SyncBatch, 'cursor' | 'details'>> = { customers: [], invoices: [], payments: [], allocations: [], deletions: [] };
  for (const p of parts) {
    if (p.customers) out.customers.push(...p.customers);
    if (p.invoices) out.invoices.push(...p.invoices);
    if (p.payments) out.payments.push(...p.payments);
    if (p.allocations) out.allocations.push(...p.allocations);
    if (p.deletions) out.deletions.push(...p.deletions);
  }
  // A batch payment appears once per invoice it pays: keep one row per id.
  out.payments = [...new Map(out.payments.map((p) => [p.externalId, p])).values()];
  return out;
}
