/** Builds small FEC files for tests and benchmarks (never used by the import itself). */
import type { NormalizedAllocation, NormalizedCustomer, NormalizedInvoice, NormalizedPayment } from '../../connector';
import type { FecLedger } from '../fec-ledger.types';

export const FEC_HEADER_18 = [
  'JournalCode', 'JournalLib', 'EcritureNum', 'EcritureDate', 'CompteNum', 'CompteLib', 'CompAuxNum', 'CompAuxLib', 'PieceRef',
  'PieceDate', 'EcritureLib', 'Debit', 'Credit', 'EcritureLet', 'DateLet', 'ValidDate', 'Montantdevise', 'Idevise',
];

export interface FecRow {
  j?: string;
  num?: string;
  date?: string;
  acct: string;
  acctLib?: string;
  aux?: string;
  auxLib?: string;
  ref?: string;
  pieceDate?: string;
  lib?: string;
  /** Debit, as written in the file (e.g. `120,00`). */
  d?: string;
  c?: string;
  let?: string;
  dateLet?: string;
}

export interface FecTextOptions {
  sep?: string;
  eol?: string;
  header?: string[];
  /** Extra columns appended to each line (21/22-column layouts). */
  extra?: string[];
  trailingSeparator?: boolean;
}

export function fecRowFields(r: FecRow): string[] {
  const date = r.date ?? '20240115';
  return [
    r.j ?? 'VE', r.j === 'BQ' ? 'Banque' : 'Journal', r.num ?? '1', date, r.acct, r.acctLib ?? `Compte ${r.acct}`, r.aux ?? '',
    r.auxLib ?? '', r.ref ?? 'F1', r.pieceDate ?? date, r.lib ?? 'Libellé', r.d ?? '0,00', r.c ?? '0,00', r.let ?? '', r.dateLet ?? '',
    date, '', '',
  ];
}

export function fecText(rows: FecRow[], opts: FecTextOptions = {}): string {
  const sep = opts.sep ?? '\t';
  const eol = opts.eol ?? '\n';
  const tail = opts.trailingSeparator ? sep : '';
  const header = [...(opts.header ?? FEC_HEADER_18)];
  const lines = [header.join(sep) + tail];
  for (const r of rows) lines.push([...fecRowFields(r), ...(opts.extra ?? [])].join(sep) + tail);
  return lines.join(eol) + eol;
}

/** An invoice entry: customer debit, revenue and VAT credits. Amounts in cents. */
export function invoiceRows(o: { num: string; date?: string; acct?: string; aux?: string; auxLib?: string; ref?: string; net: number; vat: number; let?: string; j?: string }): FecRow[] {
  const base = { j: o.j ?? 'VE', num: o.num, date: o.date, ref: o.ref ?? `FA${o.num}` };
  return [
    { ...base, acct: o.acct ?? '411000', aux: o.aux, auxLib: o.auxLib, d: cents(o.net + o.vat), let: o.let },
    { ...base, acct: '706000', c: cents(o.net) },
    { ...base, acct: '445710', c: cents(o.vat) },
  ];
}

/** A payment entry: bank debit, customer credit. */
export function paymentRows(o: { num: string; date?: string; acct?: string; aux?: string; auxLib?: string; ref?: string; amount: number; let?: string; j?: string }): FecRow[] {
  const base = { j: o.j ?? 'BQ', num: o.num, date: o.date, ref: o.ref ?? `VIR${o.num}` };
  return [
    { ...base, acct: '512000', d: cents(o.amount) },
    { ...base, acct: o.acct ?? '411000', aux: o.aux, auxLib: o.auxLib, c: cents(o.amount), let: o.let },
  ];
}

/** `12345` → `123,45` (cents to a FEC decimal-comma amount). */
export function cents(n: number): string {
  const s = String(Math.abs(n)).padStart(3, '0');
  return `${n < 0 ? '-' : ''}${s.slice(0, -2)},${s.slice(-2)}`;
}

/** Chunks a string into byte buffers of `size`, to exercise chunk boundaries. */
export function* byteChunks(data: Buffer | string, size: number): Generator<Buffer> {
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

export async function* asAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const i of items) yield i;
}

/** A small ledger's records as arrays, built in batches of `size` (to check batching too). */
export function ledgerRecords(ledger: FecLedger, size = 10_000): {
  customers: NormalizedCustomer[];
  invoices: NormalizedInvoice[];
  payments: NormalizedPayment[];
  allocations: NormalizedAllocation[];
} {
  const out = { customers: [] as NormalizedCustomer[], invoices: [] as NormalizedInvoice[], payments: [] as NormalizedPayment[], allocations: [] as NormalizedAllocation[] };
  for (const r of ledger.records(size)) {
    out.customers.push(...(r.customers ?? []));
    out.invoices.push(...(r.invoices ?? []));
    out.payments.push(...(r.payments ?? []));
    out.allocations.push(...(r.allocations ?? []));
  }
  return out;
}
