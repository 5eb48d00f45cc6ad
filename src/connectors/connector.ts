import type { Logger } from '@nestjs/common';
import type { Clock } from '../common/clock';

/** What a provider can do; served by `GET /v1/providers`. */
export interface ConnectorManifest {
  /** Provider id used in connections (`fec`, `xero`, ...). */
  readonly id: string;
  readonly displayName: string;
  readonly entities: ReadonlyArray<'customers' | 'invoices' | 'credit_notes' | 'payments' | 'allocations'>;
  /**
   * `incremental`: batches are upserts/tombstones relative to the cursor.
   * `snapshot`: one pull is the complete state of the source (e.g. a cumulative FEC file):
   * the whole pull is written in one transaction and rows of the connection not seen in
   * it are tombstoned at the end.
   */
  readonly mode: 'incremental' | 'snapshot';
  readonly writeBack: boolean;
  readonly auth: 'none' | 'oauth2';
  /** class-validator class for `settings`; validated when a connection is created or updated. */
  readonly settingsSchema: new () => object;
  /** class-validator class for `credentials` (write-only), if the provider takes any. */
  readonly credentialsSchema?: new () => object;
}

export type Cursor = Record<string, unknown>;

export interface NormalizedCustomer {
  externalId: string;
  name: string;
  emails?: string[];
  phones?: string[];
  currency?: string | null;
  termsDays?: number | null;
  termsEndOfMonth?: boolean;
  creditLimitMinor?: bigint | null;
  company?: string | null;
  language?: string | null;
  taxId?: string | null;
}

export interface NormalizedInvoice {
  externalId: string;
  customerExternalId: string;
  kind: 'invoice' | 'credit_note';
  number: string;
  /** YYYY-MM-DD */
  issueDate: string;
  /** YYYY-MM-DD; null when the source has none and the runner should derive it from terms. */
  dueDate: string | null;
  currency: string;
  /** Positive for invoices and credit notes alike (kind gives the sign). */
  totalMinor: bigint;
  status: 'open' | 'paid' | 'void';
  currencyRate?: string | null;
  reference?: string | null;
}

export interface NormalizedPayment {
  externalId: string;
  customerExternalId: string;
  kind?: 'payment' | 'overpayment' | 'prepayment' | 'opening';
  date: string;
  currency: string;
  /** Positive = money received from the customer. */
  amountMinor: bigint;
  method?: string | null;
  reference?: string | null;
}

/** A payment (or a credit note) applied to an invoice in the source. */
export interface NormalizedAllocation {
  externalId: string;
  invoiceExternalId: string;
  paymentExternalId?: string | null;
  creditNoteExternalId?: string | null;
  amountMinor: bigint;
  currency: string;
  date: string;
}

export type LedgerEntity = 'customer' | 'invoice' | 'payment' | 'allocation';

export interface Tombstone {
  entity: LedgerEntity;
  externalId: string;
}

export interface SyncBatch {
  customers?: NormalizedCustomer[];
  invoices?: NormalizedInvoice[];
  payments?: NormalizedPayment[];
  allocations?: NormalizedAllocation[];
  deletions?: Tombstone[];
  /** Resumes the pull after this batch; saved in the batch's transaction. */
  cursor: Cursor | null;
  /** Anything worth keeping in the run's details (warnings, files, API calls). */
  details?: Record<string, unknown>;
}

export interface PullContext {
  readonly tenantId: string;
  readonly connectionId: string;
  readonly settings: Record<string, unknown>;
  /** Decrypted credentials; null when the connection has none. */
  readonly credentials: Record<string, unknown> | null;
  /** Persists rotated credentials (encrypted) before the caller goes on. */
  saveCredentials(credentials: Record<string, unknown>): Promise<void>;
  readonly signal: AbortSignal;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Optional progress reporting (CLI progress bars). */
  progress?(done: number, total?: number): void;
  /**
   * The external ids the ledger holds, live (not tombstoned), for an entity of this
   * connection. Connectors whose source cannot list deletions past a window (QuickBooks CDC:
   * 30 days) compare them with a full pass to tombstone what the source no longer has.
   */
  knownExternalIds?(entity: LedgerEntity): Promise<string[]>;
}

export interface StatusUpdate {
  /** The invoice's id in the source. */
  invoiceExternalId: string;
  event: 'reminder_sent' | 'reminder_failed' | 'promise' | 'dispute_opened' | 'dispute_resolved' | 'paused';
  /** Human-readable note, e.g. "Reminder 2 sent by email on 2026-03-05". */
  message: string;
  /** Stable key so that a retried push is applied once. */
  idempotencyKey: string;
  at: Date;
}

export interface Connector {
  readonly manifest: ConnectorManifest;
  pull(ctx: PullContext, cursor: Cursor | null): AsyncIterable<SyncBatch>;
  testConnection(ctx: PullContext): Promise<void>;
  pushStatus?(ctx: PullContext, update: StatusUpdate): Promise<void>;
}

/** Errors a connector throws to tell the runner how to react. */
export class PermanentSyncError extends Error {
  /** Revoked credentials, invalid settings, source data that fails validation: no retry. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentSyncError';
  }
}

export class TransientSyncError extends Error {
  /** Network, 429, 5xx, lock timeouts: retried with backoff. `retryAfterMs` when known. */
  constructor(message: string, readonly retryAfterMs?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientSyncError';
  }
}

/** The source asks us to stop until a time (e.g. a daily API limit): pause, do not fail. */
export class SourcePausedError extends Error {
  constructor(message: string, readonly until: Date) {
    super(message);
    this.name = 'SourcePausedError';
  }
}
