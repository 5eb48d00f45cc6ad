import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { NormalizedAllocation, NormalizedCustomer, NormalizedInvoice, NormalizedPayment } from '../connectors/connector';
import type { LedgerTable } from './sync-counts';

/**
 * Normalized records as lines of PostgreSQL's COPY text format, streamed into the staging
 * tables of a bulk snapshot (ledger-bulk.query.ts; same columns, same order). Amounts travel
 * as decimal strings (exact), dates as `YYYY-MM-DD`, absent values as `\N`.
 */

const SPECIAL = /[\\\t\n\r]/;

/** One field: `\N` for null, else the text with backslash, tab, newline and carriage return escaped. */
export function copyField(v: string | number | boolean | bigint | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  const s = typeof v === 'boolean' ? (v ? 't' : 'f') : String(v);
  if (!SPECIAL.test(s)) return s;
  return s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

const line = (fields: (string | number | boolean | bigint | null | undefined)[]) => fields.map(copyField).join('\t') + '\n';

export const customerLine = (c: NormalizedCustomer) =>
  line([
    c.externalId, c.name, JSON.stringify(c.emails ?? []), JSON.stringify(c.phones ?? []), c.currency ?? null, c.termsDays ?? null,
    c.termsEndOfMonth ?? false, c.creditLimitMinor ?? null, c.company ?? null, c.language ?? null, c.taxId ?? null,
  ]);

export const invoiceLine = (r: NormalizedInvoice) =>
  line([
    r.externalId, r.customerExternalId, r.kind, r.number, r.issueDate, r.dueDate ?? null, r.currency, r.totalMinor, r.status,
    r.currencyRate ?? null, r.reference ?? null,
  ]);

export const paymentLine = (r: NormalizedPayment) =>
  line([r.externalId, r.customerExternalId, r.kind ?? 'payment', r.date, r.currency, r.amountMinor, r.method ?? null, r.reference ?? null]);

export const allocationLine = (r: NormalizedAllocation) =>
  line([r.externalId, r.invoiceExternalId, r.paymentExternalId ?? null, r.creditNoteExternalId ?? null, r.amountMinor, r.currency, r.date]);

/**
 * One COPY … FROM STDIN into a staging table at a time, on the transaction's connection:
 * `write` appends lines (waiting when the socket is full), `switchTo` ends the current COPY
 * and starts the next table's.
 */
export class CopyWriter {
  private stream: Writable | null = null;
  private table: LedgerTable | null = null;

  constructor(
    private readonly client: PoolClient,
    private readonly statement: (table: LedgerTable) => string,
  ) {}

  async write(table: LedgerTable, text: string): Promise<void> {
    if (this.table !== table) await this.switchTo(table);
    if (!this.stream!.write(text)) await once(this.stream!, 'drain');
  }

  async end(): Promise<void> {
    if (!this.stream) return;
    const stream = this.stream;
    this.stream = null;
    this.table = null;
    stream.end();
    await finished(stream);
  }

  /** Ends a COPY in flight with a CopyFail (its rows are discarded), so that the transaction can roll back. */
  async abort(reason: Error): Promise<void> {
    if (!this.stream) return;
    const stream = this.stream;
    this.stream = null;
    this.table = null;
    stream.destroy(reason);
    await finished(stream).catch(() => undefined);
  }

  private async switchTo(table: LedgerTable): Promise<void> {
    await this.end();
    this.stream = this.client.query(copyFrom(this.statement(table)));
    this.table = table;
  }
}
