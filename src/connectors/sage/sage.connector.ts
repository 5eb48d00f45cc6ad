import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../common/config/config.module';
import type { AppConfig } from '../../common/config/app-config';
import { OAuth2TokenStore } from '../../common/http/oauth2-token-store';
import { RateBudgets } from '../../common/http/rate-budget';
import { Sleeper } from '../../common/http/sleeper';
import type { Connector, ConnectorManifest, Cursor, LedgerEntity, PullContext, StatusUpdate, SyncBatch, Tombstone } from '../connector';
import { openOAuthApi } from '../oauth-api';
import { noteWithStatusLine } from '../status-note';
import { mapRecords, RejectionLog, type RejectedRecord } from '../vendor-record';
import { SAGE_MAX_PAGE, SAGE_RATE_LIMITS, SageClient } from './sage-client';
import {
  mapSageContact,
  mapSageContactAllocation,
  mapSageContactPayment,
  mapSageSalesCreditNote,
  mapSageSalesInvoice,
  SAGE_ALLOCATION_MAX_LINES,
  sageAllocationLineId,
  type SageMapContext,
} from './sage-mappers';
import { SageCredentials, SageSettings } from './sage-settings';

type SageResource = 'contacts' | 'sales_invoices' | 'sales_credit_notes' | 'contact_payments' | 'contact_allocations';

const RESOURCES: ReadonlyArray<{ name: SageResource; ledger: LedgerEntity; filter: string }> = [
  { name: 'contacts', ledger: 'customer', filter: '&contact_type_id=CUSTOMER' },
  { name: 'sales_invoices', ledger: 'invoice', filter: '' },
  { name: 'sales_credit_notes', ledger: 'invoice', filter: '' },
  { name: 'contact_payments', ledger: 'payment', filter: '&transaction_type_id=CUSTOMER_RECEIPT' },
  { name: 'contact_allocations', ledger: 'allocation', filter: '&transaction_type_id=CUSTOMER_ALLOCATION' },
];

/** Where the `updated_at` walk of one resource stands. */
export interface SageMark {
  /** `updated_or_created_since` (inclusive) of the current query; null = from the start. */
  since: string | null;
  /** `$next` to follow (only through pages whose records all share one `updated_at`). */
  next: string | null;
}

export interface SageCursor {
  v: 1;
  marks: Partial<Record<SageResource, SageMark>>;
  /** `deleted_since` of the next deletion pass; null before the first full pull ends. */
  deletedSince: string | null;
  baseCurrency?: string;
}

const SKEW_MS = 5 * 60_000;
const NOTES_MAX = 2000;

export function sageListPath(resource: SageResource, filter: string, since: string | null): string {
  const q = `items_per_page=${SAGE_MAX_PAGE}&attributes=all&sort=updated_at:asc${filter}`;
  return `/${resource}?${q}${since ? `&updated_or_created_since=${encodeURIComponent(since)}` : ''}`;
}

/**
 * The mark after a page: re-query from the page's last `updated_at` (inclusive: records of
 * that instant are read again, never missed); when every record of a page shares one
 * instant, follow `$next` instead so the walk cannot loop. Null when the resource is done.
 */
export function nextSageMark(mark: SageMark, items: readonly unknown[], next: string | null): SageMark | null {
  const times = items.map((i) => (i as { updated_at?: unknown })?.updated_at).filter((t): t is string => typeof t === 'string');
  const last = times.length ? times[times.length - 1] : null;
  if (!next) return null;
  if (last === null || times.every((t) => t === last)) return { since: mark.since, next };
  return { since: last, next: null };
}

/**
 * Sage Business Cloud Accounting: customers (contacts), sales invoices, sales credit notes,
 * customer receipts and customer allocations (`allocated_artefacts` → allocations), walked by
 * `updated_or_created_since` with 200-item pages; deletions through `deleted_since`.
 * Write-back: the invoice's `notes` field (PUT /sales_invoices/{id}).
 */
@Injectable()
export class SageConnector implements Connector {
  readonly manifest: ConnectorManifest = {
    id: 'sage',
    displayName: 'Sage Business Cloud Accounting',
    entities: ['customers', 'invoices', 'credit_notes', 'payments', 'allocations'],
    mode: 'incremental',
    writeBack: true,
    auth: 'oauth2',
    settingsSchema: SageSettings,
    credentialsSchema: SageCredentials,
  };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tokens: OAuth2TokenStore,
    private readonly budgets: RateBudgets,
    private readonly sleeper: Sleeper,
  ) {}

  private client(ctx: PullContext): SageClient {
    const settings = ctx.settings as unknown as SageSettings;
    const { api } = openOAuthApi({ tokens: this.tokens, budgets: this.budgets, sleeper: this.sleeper }, ctx, {
      baseURL: this.config.sage.apiUrl,
      token: { tokenUrl: this.config.sage.oauthUrl, clientAuth: 'body' },
      limits: SAGE_RATE_LIMITS,
    });
    return new SageClient(api, settings.businessId ?? null, this.config.sage.apiUrl);
  }

  /** Exercises the token, the business and read access: `GET /financial_settings` with `X-Business`. */
  async testConnection(ctx: PullContext): Promise<void> {
    await this.client(ctx).baseCurrency();
  }

  async *pull(ctx: PullContext, cursor: Cursor | null): AsyncIterable<SyncBatch> {
    const client = this.client(ctx);
    const startedAt = ctx.clock.now();
    const prev = cursor && cursor.v === 1 ? (cursor as unknown as SageCursor) : null;
    const state: SageCursor = {
      v: 1,
      marks: { ...(prev?.marks ?? {}) },
      deletedSince: prev?.deletedSince ?? null,
      baseCurrency: prev?.baseCurrency ?? (await client.baseCurrency()) ?? undefined,
    };
    const map: SageMapContext = { baseCurrency: state.baseCurrency ?? 'GBP' };
    const rejections = new RejectionLog();
    const snapshot = () => ({ ...state, marks: { ...state.marks } }) as unknown as Cursor;

    for (const resource of RESOURCES) {
      let mark: SageMark = state.marks[resource.name] ?? { since: null, next: null };
      for (;;) {
        ctx.signal.throwIfAborted();
        const page = await client.list(mark.next ?? sageListPath(resource.name, resource.filter, mark.since));
        const rejected: RejectedRecord[] = [];
        const batch = this.mapPage(resource.name, page.items, map, rejected);
        const next = nextSageMark(mark, page.items, page.next);
        const times = page.items.map((i) => (i as { updated_at?: unknown })?.updated_at).filter((t): t is string => typeof t === 'string');
        mark = next ?? { since: times.length ? times[times.length - 1] : mark.since, next: null };
        state.marks[resource.name] = mark;
        if (rejected.length) {
          rejections.add(rejected);
          ctx.logger.warn({ connectionId: ctx.connectionId, resource: resource.name, rejected: rejected.length }, 'malformed Sage records skipped');
        }
        yield { ...batch, cursor: snapshot(), details: { apiCalls: client.calls, ...rejections.details() } };
        if (!next) break;
      }
    }

    const deletions: Tombstone[] = [];
    if (state.deletedSince) {
      for (const resource of RESOURCES) {
        let path: string | null = `/${resource.name}?items_per_page=${SAGE_MAX_PAGE}&deleted_since=${encodeURIComponent(state.deletedSince)}`;
        while (path) {
          ctx.signal.throwIfAborted();
          const page = await client.list(path);
          for (const item of page.items) {
            const id = (item as { id?: unknown })?.id;
            if (typeof id !== 'string' || !id) continue;
            if (resource.ledger !== 'allocation') deletions.push({ entity: resource.ledger, externalId: id });
            // A deleted contact allocation: every ledger allocation it may have produced.
            else for (let n = 0; n < SAGE_ALLOCATION_MAX_LINES; n++) deletions.push({ entity: 'allocation', externalId: sageAllocationLineId(id, n) });
          }
          path = page.next;
        }
      }
    }
    state.deletedSince = new Date(startedAt.getTime() - SKEW_MS).toISOString();
    yield { deletions, cursor: snapshot(), details: { apiCalls: client.calls, ...rejections.details() } };
  }

  private mapPage(resource: SageResource, items: unknown[], ctx: SageMapContext, rejected: RejectedRecord[]): Omit<SyncBatch, 'cursor'> {
    switch (resource) {
      case 'contacts':
        return { customers: mapRecords(items, (r) => mapSageContact(r, ctx), rejected) };
      case 'sales_invoices':
        return { invoices: mapRecords(items, (r) => mapSageSalesInvoice(r, ctx), rejected) };
      case 'sales_credit_notes':
        return { invoices: mapRecords(items, (r) => mapSageSalesCreditNote(r, ctx), rejected) };
      case 'contact_payments': {
        const mapped = mapRecords(items, (r) => mapSageContactPayment(r, ctx), rejected);
        return { payments: mapped.map((m) => m.payment), allocations: mapped.flatMap((m) => m.allocations) };
      }
      case 'contact_allocations':
        return { allocations: mapRecords(items, (r) => mapSageContactAllocation(r, ctx), rejected) };
    }
  }

  /**
   * Sage offers no reminder field on invoices; the status goes into the invoice's `notes`
   * (our one marked line replaced, the user's text kept) with `PUT /sales_invoices/{id}`.
   */
  async pushStatus(ctx: PullContext, update: StatusUpdate): Promise<void> {
    const client = this.client(ctx);
    const notes = noteWithStatusLine(await client.readInvoiceNotes(update.invoiceExternalId), update.message, NOTES_MAX);
    if (notes === null) return;
    await client.updateInvoiceNotes(update.invoiceExternalId, notes);
    ctx.logger.log({ connectionId: ctx.connectionId, invoice: update.invoiceExternalId, event: update.event }, 'status written back to Sage');
  }
}
