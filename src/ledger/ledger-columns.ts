import type { NormalizedAllocation, NormalizedCustomer, NormalizedInvoice, NormalizedPayment } from '../connectors/connector';

/**
 * Normalized records turned into column arrays, one array per column, for the `unnest(...)`
 * upserts of ledger-upsert.query.ts (same order as there). Amounts travel as decimal
 * strings (exact), dates as `YYYY-MM-DD`.
 */

/** Last occurrence wins: one statement cannot touch the same row twice. */
export function lastByExternalId<T extends { externalId: string }>(records: readonly T[] | undefined): T[] {
  if (!records?.length) return [];
  const byId = new Map<string, T>();
  for (const r of records) {
    byId.delete(r.externalId);
    byId.set(r.externalId, r);
  }
  return byId.size === records.length ? [...records] : [...byId.values()];
}

export function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

const str = (v: bigint | null | undefined) => (v === null || v === undefined ? null : v.toString());

export function customerColumns(rows: NormalizedCustomer[]): unknown[] {
  const n = rows.length;
  const cols = Array.from({ length: 11 }, () => new Array<unknown>(n));
  for (let i = 0; i < n; i++) {
    const c = rows[i];
    cols[0][i] = c.externalId;
    cols[1][i] = c.name;
    cols[2][i] = JSON.stringify(c.emails ?? []);
    cols[3][i] = JSON.stringify(c.phones ?? []);
    cols[4][i] = c.currency ?? null;
    cols[5][i] = c.termsDays ?? null;
    cols[6][i] = c.termsEndOfMonth ?? false;
    cols[7][i] = str(c.creditLimitMinor);
    cols[8][i] = c.company ?? null;
    cols[9][i] = c.language ?? null;
    cols[10][i] = c.taxId ?? null;
  }
  return cols;
}

export function invoiceColumns(rows: NormalizedInvoice[]): unknown[] {
  const n = rows.length;
  const cols = Array.from({ length: 11 }, () => new Array<unknown>(n));
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    cols[0][i] = r.externalId;
    cols[1][i] = r.customerExternalId;
    cols[2][i] = r.kind;
    cols[3][i] = r.number;
    cols[4][i] = r.issueDate;
    cols[5][i] = r.dueDate ?? null;
    cols[6][i] = r.currency;
    cols[7][i] = r.totalMinor.toString();
    cols[8][i] = r.status;
    cols[9][i] = r.currencyRate ?? null;
    cols[10][i] = r.reference ?? null;
  }
  return cols;
}

export function paymentColumns(rows: NormalizedPayment[]): unknown[] {
  const n = rows.length;
  const cols = Array.from({ length: 8 }, () => new Array<unknown>(n));
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    cols[0][i] = r.externalId;
    cols[1][i] = r.customerExternalId;
    cols[2][i] = r.kind ?? 'payment';
    cols[3][i] = r.date;
    cols[4][i] = r.currency;
    cols[5][i] = r.amountMinor.toString();
    cols[6][i] = r.method ?? null;
    cols[7][i] = r.reference ?? null;
  }
  return cols;
}

export function allocationColumns(rows: NormalizedAllocation[]): unknown[] {
  const n = rows.length;
  const cols = Array.from({ length: 7 }, () => new Array<unknown>(n));
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    cols[0][i] = r.externalId;
    cols[1][i] = r.invoiceExternalId;
    cols[2][i] = r.paymentExternalId ?? null;
    cols[3][i] = r.creditNoteExternalId ?? null;
    cols[4][i] = r.amountMinor.toString();
    cols[5][i] = r.currency;
    cols[6][i] = r.date;
  }
  return cols;
}
