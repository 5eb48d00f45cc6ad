import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../common/config/config.module';
import type { AppConfig } from '../../common/config/app-config';
import { OAuth2TokenStore } from '../../common/http/oauth2-token-store';
import { RateBudgets } from '../../common/http/rate-budget';
import { Sleeper } from '../../common/http/sleeper';
import type { Connector, ConnectorManifest, Cursor, LedgerEntity, PullContext, StatusUpdate, SyncBatch, Tombstone } from '../connector';
import { PermanentSyncError } from '../connector';
import { openOAuthApi } from '../oauth-api';
import { mapRecords, RejectionLog, type RejectedRecord } from '../vendor-record';
import { readQboCdc, withinCdcWindow } from './qbo-cdc';
import { QBO_RATE_LIMITS, QboClient } from './qbo-client';
import { QboStaleObjectError } from './qbo-fault';
import { creditMemoExternalId, qboInvoiceRef } from './qbo-ids';
import { mapQboCreditMemo, mapQboCustomer, mapQboInvoice, mapQboPayment, type QboMapContext } from './qbo-mappers';
import { nextQboWatermark, QBO_ENTITIES, qboQuery, type QboEntity, type QboWatermark } from './qbo-query';
import { QboCredentials, QboSettings } from './qbo-settings';
import { qboWriteBackFields } from './qbo-write-back';

/** What a QuickBooks connection remembers between runs. */
export interface QboCursor {
  v: 1;
  /** Per entity, where the `Metadata.LastUpdatedTime` walk stands. */
  marks: Partial<Record<QboEntity, QboWatermark>>;
  /** Next `changedSince` of the CDC call; null = a full reconciliation pass is due. */
  cdcSince: string | null;
  homeCurrency?: string;
}

/** Margin taken off the times used as the next cursor (clock skew between us and Intuit). */
const SKEW_MS = 5 * 60_000;
/** Entities whose deletions CDC reports (customers are made inactive, never deleted). */
const CDC_ENTITIES: QboEntity[] = ['Invoice', 'CreditMemo', 'Payment'];
const LEDGER_ENTITY: Record<QboEntity, LedgerEntity> = { Customer: 'customer', Invoice: 'invoice', CreditMemo: 'invoice', Payment: 'payment' };

function ledgerId(entity: QboEntity, id: string): string {
  return entity === 'CreditMemo' ? creditMemoExternalId(id) : id;
}

function readCursor(cursor: Cursor | null): QboCursor | null {
  if (!cursor || cursor.v !== 1 || typeof cursor.marks !== 'object') return null;
  return cursor as unknown as QboCursor;
}

/**
 * QuickBooks Online: customers, invoices, credit memos and payments (with their allocations)
 * through the query endpoint, walked by `Metadata.LastUpdatedTime`; deletions through CDC;
 * a full reconciliation pass when the cursor is older than the CDC window. Write-back:
 * sparse update of the invoice carrying its current `SyncToken`.
 */
@Injectable()
export class QboConnector implements Connector {
  readonly manifest: ConnectorManifest = {
    id: 'quickbooks',
    displayName: 'QuickBooks Online',
    entities: ['customers', 'invoices', 'credit_notes', 'payments', 'allocations'],
    mode: 'incremental',
    writeBack: true,
    auth: 'oauth2',
    settingsSchema: QboSettings,
    credentialsSchema: QboCredentials,
  };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tokens: OAuth2TokenStore,
    private readonly budgets: RateBudgets,
    private readonly sleeper: Sleeper,
  ) {}

  private client(ctx: PullContext): { client: QboClient; settings: QboSettings } {
    const settings = ctx.settings as unknown as QboSettings;
    if (!settings.realmId) throw new PermanentSyncError('no QuickBooks company is bound to this connection (settings.realmId): authorize it first');
    const qbo = this.config.quickbooks;
    const { api } = openOAuthApi({ tokens: this.tokens, budgets: this.budgets, sleeper: this.sleeper }, ctx, {
      baseURL: settings.environment === 'sandbox' ? qbo.sandboxApiUrl : qbo.apiUrl,
      token: { tokenUrl: qbo.oauthUrl, clientAuth: 'basic' },
      limits: QBO_RATE_LIMITS,
    });
    return { client: new QboClient(api, settings.realmId), settings };
  }

  async testConnection(ctx: PullContext): Promise<void> {
    await this.client(ctx).client.companyName();
  }

  async *pull(ctx: PullContext, cursor: Cursor | null): AsyncIterable<SyncBatch> {
    const { client } = this.client(ctx);
    const startedAt = ctx.clock.now();
    const prev = readCursor(cursor);
    const reconcile = !prev?.cdcSince || !withinCdcWindow(prev.cdcSince, startedAt);
    const state: QboCursor = {
      v: 1,
      marks: reconcile ? {} : { ...prev!.marks },
      cdcSince: prev?.cdcSince ?? null,
      homeCurrency: prev?.homeCurrency ?? (await client.homeCurrency()) ?? undefined,
    };
    const map: QboMapContext = { homeCurrency: state.homeCurrency ?? 'USD' };
    const seen = new Map<LedgerEntity, Set<string>>();
    const rejections = new RejectionLog();

    for (const entity of QBO_ENTITIES) {
      let mark: QboWatermark = state.marks[entity] ?? { since: null, position: 1 };
      for (;;) {
        ctx.signal.throwIfAborted();
        const page = await client.query(entity, qboQuery(entity, mark));
        if (reconcile) {
          const ids = seen.get(LEDGER_ENTITY[entity]) ?? new Set<string>();
          seen.set(LEDGER_ENTITY[entity], ids);
          for (const raw of page.records) {
            const id = (raw as { Id?: unknown })?.Id;
            if (typeof id === 'string' || typeof id === 'number') ids.add(ledgerId(entity, String(id)));
          }
        }
        const rejected: RejectedRecord[] = [];
        const batch = this.mapPage(entity, page.records, map, rejected);
        const next = nextQboWatermark(entity, mark, page.records);
        const lastTime = [...page.records].reverse().map((r) => (r as { MetaData?: { LastUpdatedTime?: unknown } })?.MetaData?.LastUpdatedTime).find((t) => typeof t === 'string') as string | undefined;
        mark = next ?? { since: lastTime ?? mark.since, position: 1 };
        state.marks[entity] = mark;
        if (rejected.length) {
          rejections.add(rejected);
          ctx.logger.warn({ connectionId: ctx.connectionId, entity, rejected: rejected.length }, 'malformed QuickBooks records skipped');
        }
        yield { ...batch, cursor: { ...state } as unknown as Cursor, details: { apiCalls: client.calls, ...rejections.details() } };
        if (!next) break;
      }
    }

    const deletions: Tombstone[] = [];
    const warnings: string[] = [];
    /** Records CDC reports changed: caught even if committed with a time before the query walk's cursor. */
    let late: Omit<SyncBatch, 'cursor'> = {};
    if (reconcile) {
      const known = ctx.knownExternalIds;
      if (prev && !known) warnings.push('full reconciliation pass: the runner cannot list known ids, deletions older than the CDC window are not detected');
      if (known) {
        for (const entity of ['customer', 'invoice', 'payment'] as const) {
          const live = seen.get(entity) ?? new Set();
          for (const id of await known.call(ctx, entity)) if (!live.has(id)) deletions.push({ entity, externalId: id });
        }
      }
      state.cdcSince = new Date(startedAt.getTime() - SKEW_MS).toISOString();
    } else {
      const cdc = readQboCdc(await client.cdc(CDC_ENTITIES, state.cdcSince!), CDC_ENTITIES);
      const rejected: RejectedRecord[] = [];
      const parts = CDC_ENTITIES.map((entity) => this.mapPage(entity, cdc.changed[entity] ?? [], map, rejected));
      late = {
        invoices: parts.flatMap((p) => p.invoices ?? []),
        payments: parts.flatMap((p) => p.payments ?? []),
        allocations: parts.flatMap((p) => p.allocations ?? []),
      };
      deletions.push(...parts.flatMap((p) => p.deletions ?? []));
      rejections.add(rejected);
      for (const entity of CDC_ENTITIES) {
        for (const id of cdc.deleted[entity] ?? []) deletions.push({ entity: LEDGER_ENTITY[entity], externalId: ledgerId(entity, id) });
      }
      if (cdc.truncated.length) {
        // More than CDC can list: the next run reconciles in full.
        warnings.push(`CDC listed ${cdc.truncated.join(', ')} at its 1,000-object cap; a full reconciliation pass follows`);
        state.cdcSince = null;
      } else {
        const serverTime = cdc.time ? Date.parse(cdc.time) : NaN;
        const basis = Number.isFinite(serverTime) ? Math.min(serverTime, startedAt.getTime()) : startedAt.getTime();
        state.cdcSince = new Date(basis - SKEW_MS).toISOString();
      }
    }
    for (const w of warnings) ctx.logger.warn({ connectionId: ctx.connectionId }, w);
    yield {
      ...late,
      deletions,
      cursor: { ...state } as unknown as Cursor,
      details: { apiCalls: client.calls, reconciled: reconcile, ...(warnings.length ? { warnings } : {}), ...rejections.details() },
    };
  }

  private mapPage(entity: QboEntity, records: unknown[], ctx: QboMapContext, rejected: RejectedRecord[]): Omit<SyncBatch, 'cursor'> {
    switch (entity) {
      case 'Customer':
        return { customers: mapRecords(records, (r) => mapQboCustomer(r, ctx), rejected) };
      case 'Invoice':
        return { invoices: mapRecords(records, (r) => mapQboInvoice(r, ctx), rejected) };
      case 'CreditMemo':
        return { invoices: mapRecords(records, (r) => mapQboCreditMemo(r, ctx), rejected) };
      case 'Payment': {
        const mapped = mapRecords(records, (r) => mapQboPayment(r, ctx), rejected);
        return {
          payments: mapped.flatMap((m) => (m.payment ? [m.payment] : [])),
          allocations: mapped.flatMap((m) => m.allocations ?? []),
          deletions: mapped.flatMap((m) => (m.voided ? [m.voided] : [])),
        };
      }
    }
  }

  /**
   * Writes the reminder status on the invoice by a sparse update carrying the `SyncToken`
   * just read; a stale `SyncToken` (someone edited the invoice meanwhile) re-reads and
   * retries once. Credit memos are not written to.
   */
  async pushStatus(ctx: PullContext, update: StatusUpdate): Promise<void> {
    const ref = qboInvoiceRef(update.invoiceExternalId);
    if (ref.entity !== 'Invoice') return;
    const { client, settings } = this.client(ctx);
    for (let attempt = 1; ; attempt++) {
      const invoice = await client.readInvoice(ref.id);
      const fields = qboWriteBackFields(invoice, update, settings.writeBackCustomFieldId);
      if (!fields) return;
      try {
        await client.sparseUpdateInvoice({ Id: ref.id, SyncToken: String(invoice.SyncToken), ...fields });
        ctx.logger.log({ connectionId: ctx.connectionId, invoice: ref.id, event: update.event }, 'status written back to QuickBooks');
        return;
      } catch (e) {
        if (e instanceof QboStaleObjectError && attempt === 1) continue;
        throw e;
      }
    }
  }
}
