import type { NormalizedAllocation, NormalizedCustomer, NormalizedInvoice, NormalizedPayment } from '../connector';
import { formatMinor } from '../../common/money';
import { ACCOUNT, isOpeningEntry } from './fec-accounts';
import type { FecProblem } from './fec-errors';
import type { FecLedger, FecLedgerOptions, FecRecords, FecStats } from './fec-ledger.types';
import type { FecEntries } from './fec-ledger.state';
import { allocateLettering, DOC, LetteringResult } from './fec-lettering';

const KNOWN_COUNTERPARTS = ACCOUNT.REVENUE | ACCOUNT.VAT | ACCOUNT.EXPENSE | ACCOUNT.BANK;

export interface DeriveOptions extends FecLedgerOptions {
  fiscalYearStart: string;
  lines: number;
  totalDebitMinor: bigint;
  totalCreditMinor: bigint;
}

/**
 * The ledger of validated entries: each document classified (by the accounts of its entry,
 * see FecLedgerBuilder), given its id, lettering allocated; the records themselves are
 * built batch by batch when asked for, from the columns.
 */
export function deriveLedger(s: FecEntries, names: Map<string, string>, opts: DeriveOptions): FecLedger {
  const kinds = new Uint8Array(s.docCount);
  const opening = new Uint8Array(s.entryCount);
  const stats: FecStats = {
    lines: opts.lines, entries: s.entryCount, customers: names.size, invoices: 0, creditNotes: 0, payments: 0, openingItems: 0,
    allocations: 0, warnings: 0, totalDebitMinor: opts.totalDebitMinor, totalCreditMinor: opts.totalCreditMinor,
  };
  /** Journals whose customer credits could not be classified by their counterparts. */
  const unknown = new Map<string, { line: number; count: number }>();
  for (let e = 0; e < s.entryCount; e++) {
    const first = s.eDoc.get(e);
    if (first < 0) continue;
    const flags = s.eFlags.get(e);
    const journal = s.str(s.eJournal.get(e));
    const isOpening = isOpeningEntry(journal, s.str(s.eDate.get(e)), flags, opts.fiscalYearStart);
    opening[e] = isOpening ? 1 : 0;
    for (let d = first; d >= 0; d = s.dNext.get(d)) {
      const amount = s.dAmount.get(d);
      if (amount === 0n) continue;
      const advanceOnly = s.dAdvanceOnly.get(d) === 1;
      const kind = classify(amount, advanceOnly, flags, isOpening);
      kinds[d] = kind;
      if (amount < 0n && !isOpening && !advanceOnly && !(flags & KNOWN_COUNTERPARTS)) {
        const u = unknown.get(journal);
        if (u) u.count++;
        else unknown.set(journal, { line: s.dFirstLine.get(d), count: 1 });
      }
      if (isOpening) stats.openingItems++;
      else if (kind === DOC.INVOICE) stats.invoices++;
      else if (kind === DOC.CREDIT_NOTE) stats.creditNotes++;
      else stats.payments++;
    }
  }
  const duplicate = duplicateIds(s, kinds);

  const warnings: FecProblem[] = [];
  for (const [journal, u] of unknown) {
    warnings.push({
      file: opts.file, line: u.line, field: 'JournalCode',
      reason: `journal ${journal}: ${u.count} customer credit${u.count > 1 ? 's' : ''} with no revenue, VAT, charge, bank or opening counterpart, read as payment${u.count > 1 ? 's' : ''} (offset)`,
    });
  }
  const lettering = allocateLettering(s, kinds);
  s.clearParts();
  for (const u of lettering.unbalanced) {
    const [account, aux, code] = [s.str(u.account), s.str(u.aux), s.str(u.code)];
    warnings.push({
      file: opts.file, line: u.line, field: 'EcritureLet',
      reason: `lettering ${code} on ${account}${aux ? `/${aux}` : ''} does not balance (${formatMinor(u.leftMinor, opts.currency)} left open)`,
    });
  }
  stats.allocations = lettering.count;
  stats.warnings = warnings.length;
  const view = new LedgerView(s, names, opts, kinds, opening, duplicate, lettering);
  return { warnings, stats, records: (size) => view.records(size) };
}

/** `VE/123/2024-01-15/C001`: the entry's id base and the customer (before any `#line`). */
function plainId(s: FecEntries, d: number): string {
  return `${s.idBase(s.dEntry.get(d))}/${s.str(s.dCustomer.get(d))}`;
}

/** Every classified document, entry by entry: the order ids are given in. */
function* classified(s: FecEntries, kinds: Uint8Array): Generator<number> {
  for (let e = 0; e < s.entryCount; e++) {
    for (let d = s.eDoc.get(e); d >= 0; d = s.dNext.get(d)) if (kinds[d]) yield d;
  }
}

/**
 * Documents whose id an earlier document already has: they get `#<first line>`. Found by
 * 32-bit hashes first (a set of every id would hold ~35 MB at a million lines); only ids
 * whose hash is shared are compared, and should a `#line` id meet another id's hash, every
 * id is compared.
 */
function duplicateIds(s: FecEntries, kinds: Uint8Array): Uint8Array {
  const duplicate = new Uint8Array(s.docCount);
  const hashes = new Int32Array(s.docCount);
  let n = 0;
  for (const d of classified(s, kinds)) hashes[d] = hash(plainId(s, d));
  const sorted = new Int32Array(s.docCount);
  for (const d of classified(s, kinds)) sorted[n++] = hashes[d];
  const all = sorted.subarray(0, n).sort();
  const shared = new Set<number>();
  for (let i = 1; i < n; i++) if (all[i] === all[i - 1]) shared.add(all[i]);
  if (!shared.size) return duplicate;
  /** The ids of the documents `suspect` keeps, compared in full; false when that is not enough. */
  const exact = (suspect: ((d: number) => boolean) | null): boolean => {
    const seen = new Set<string>();
    for (const d of classified(s, kinds)) {
      if (suspect && !suspect(d)) continue;
      const id = plainId(s, d);
      if (!seen.has(id)) {
        seen.add(id);
        continue;
      }
      duplicate[d] = 1;
      const renamed = `${id}#${s.dFirstLine.get(d)}`;
      if (suspect && !seen.has(renamed) && binarySearch(all, hash(renamed))) return false;
      seen.add(renamed);
    }
    return true;
  };
  if (!exact((d) => shared.has(hashes[d]))) {
    duplicate.fill(0);
    exact(null);
  }
  return duplicate;
}

/** FNV-1a over the UTF-16 code units. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h | 0;
}

function binarySearch(sorted: Int32Array, v: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] === v) return true;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** By accounts, not journal codes (see FecLedgerBuilder). */
function classify(amount: bigint, advanceOnly: boolean, flags: number, opening: boolean): number {
  if (amount > 0n) return DOC.INVOICE;
  if (opening || advanceOnly) return DOC.PAYMENT;
  if (flags & ACCOUNT.REVENUE) return DOC.CREDIT_NOTE;
  if (flags & ACCOUNT.BANK) return DOC.PAYMENT;
  if (flags & (ACCOUNT.VAT | ACCOUNT.EXPENSE)) return DOC.CREDIT_NOTE;
  return DOC.PAYMENT;
}

/** Builds the normalized records from the columns, in reference order. */
class LedgerView {
  constructor(
    private readonly s: FecEntries,
    private readonly names: Map<string, string>,
    private readonly opts: DeriveOptions,
    private readonly kinds: Uint8Array,
    private readonly opening: Uint8Array,
    private readonly duplicate: Uint8Array,
    private readonly lettering: LetteringResult,
  ) {}

  /** Customers, invoices and credit notes, payments, allocations: at most `size` records a batch. */
  *records(size: number): Generator<FecRecords> {
    const customers = [...this.names.keys()].sort();
    for (let i = 0; i < customers.length; i += size) yield { customers: customers.slice(i, i + size).map((key) => this.customer(key)) };
    let invoices: NormalizedInvoice[] = [];
    for (const d of this.docs()) {
      if (this.kinds[d] === DOC.PAYMENT) continue;
      invoices.push(this.invoice(d));
      if (invoices.length === size) {
        yield { invoices };
        invoices = [];
      }
    }
    if (invoices.length) yield { invoices };
    let payments: NormalizedPayment[] = [];
    for (const d of this.docs()) {
      if (this.kinds[d] !== DOC.PAYMENT) continue;
      payments.push(this.payment(d));
      if (payments.length === size) {
        yield { payments };
        payments = [];
      }
    }
    if (payments.length) yield { payments };
    const a = this.lettering;
    let allocations: NormalizedAllocation[] = [];
    for (let k = 0; k < a.credit.length; k++) {
      if (a.dropped[k]) continue;
      allocations.push(this.allocation(k));
      if (allocations.length === size) {
        yield { allocations };
        allocations = [];
      }
    }
    if (allocations.length) yield { allocations };
  }

  private docs(): Generator<number> {
    return classified(this.s, this.kinds);
  }

  private id(d: number): string {
    const id = plainId(this.s, d);
    return this.duplicate[d] ? `${id}#${this.s.dFirstLine.get(d)}` : id;
  }

  private abs(d: number): bigint {
    const amount = this.s.dAmount.get(d);
    return amount < 0n ? -amount : amount;
  }

  private number(d: number): string {
    const s = this.s;
    const e = s.dEntry.get(d);
    return s.dPieceRef.get(d) || s.eNum.get(e) || s.idBase(e);
  }

  private customer(key: string): NormalizedCustomer {
    const terms = this.opts.customerTerms?.[key];
    return {
      externalId: key, name: this.names.get(key) ?? key, currency: this.opts.currency,
      termsDays: terms ? terms.days : null, termsEndOfMonth: terms ? terms.endOfMonth : false,
    };
  }

  private invoice(d: number): NormalizedInvoice {
    const s = this.s;
    const e = s.dEntry.get(d);
    const journal = s.str(s.eJournal.get(e));
    const date = s.str(s.eDate.get(e));
    return {
      externalId: this.id(d), customerExternalId: s.str(s.dCustomer.get(d)), kind: this.kinds[d] === DOC.INVOICE ? 'invoice' : 'credit_note',
      number: this.number(d), issueDate: s.str(s.dPieceDate.get(d)), dueDate: null, currency: this.opts.currency, totalMinor: this.abs(d),
      // Fully allocated documents are paid.
      status: this.lettering.capacity.get(d) === 0n ? 'paid' : 'open',
      reference: this.opening[e] ? `opening ${journal} ${date}` : `${journal} ${s.eNum.get(e) || date}`,
    };
  }

  private payment(d: number): NormalizedPayment {
    const s = this.s;
    const e = s.dEntry.get(d);
    const opening = this.opening[e] === 1;
    return {
      externalId: this.id(d), customerExternalId: s.str(s.dCustomer.get(d)),
      kind: opening ? 'opening' : s.dAdvanceOnly.get(d) ? 'prepayment' : 'payment',
      date: s.str(s.eDate.get(e)), currency: this.opts.currency, amountMinor: this.abs(d),
      method: s.eFlags.get(e) & ACCOUNT.BANK ? 'bank' : opening ? null : 'offset', reference: this.number(d),
    };
  }

  private allocation(k: number): NormalizedAllocation {
    const a = this.lettering;
    const credit = a.credit.get(k);
    const creditId = this.id(credit);
    const invoiceId = this.id(a.debit.get(k));
    const creditNote = this.kinds[credit] === DOC.CREDIT_NOTE;
    return {
      externalId: `${creditId}>${invoiceId}`,
      invoiceExternalId: invoiceId,
      paymentExternalId: creditNote ? null : creditId,
      creditNoteExternalId: creditNote ? creditId : null,
      amountMinor: a.amount.get(k),
      currency: this.opts.currency,
      date: this.s.str(a.date.get(k)),
    };
  }
}
