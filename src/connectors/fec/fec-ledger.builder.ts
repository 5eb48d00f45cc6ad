import type { NormalizedCustomer, NormalizedInvoice, NormalizedPayment } from '../connector';
import { formatMinor } from '../../common/money';
import { ACCOUNT, accountFlag, isOpeningEntry } from './fec-accounts';
import type { FecProblem, ProblemList } from './fec-errors';
import type { FecLine } from './fec-line';
import type { FecLedger, FecLedgerOptions, FecStats } from './fec-ledger.types';
import { allocateLettering, LetterPart, LetteredDoc } from './fec-lettering';

/** An entry (écriture) being accumulated: lines grouped by (JournalCode, EcritureNum, date). */
interface Entry {
  journal: string;
  num: string;
  date: string;
  /** PieceRef, for entries without a number only (their id uses it). */
  pieceRef: string;
  sum: bigint;
  flags: number;
  firstLine: number;
  docs: Doc[] | null;
}

/** The net of one customer's lines in one entry. */
interface Doc {
  entry: Entry;
  customer: string;
  amount: bigint;
  /** True while every line is on an advance account (419). */
  advanceOnly: boolean;
  firstLine: number;
  pieceRef: string;
  pieceDate: string;
  /** Lettered amounts by (account, aux, code); null when no line is lettered (usually one). */
  parts: KeyedPart[] | null;
}

interface KeyedPart extends LetterPart {
  key: string;
}

/** `VE/123/2024-01-15`, or `VE/2024-01-15/FA12` for entries without a number. */
function idBase(e: Entry): string {
  return e.num ? `${e.journal}/${e.num}/${e.date}` : `${e.journal}/${e.date}/${e.pieceRef}`;
}

/** Detaches a string from the (large) line it was sliced from, so the line can be freed. */
const own = (s: string): string => (s.length > 12 ? (' ' + s).slice(1) : s);

/**
 * Turns a stream of FEC lines into a receivables ledger, in memory proportional to the
 * customer lines (other lines only update their entry's running balance and flags).
 *
 * - entries: grouped by (JournalCode, EcritureNum, EcritureDate); EcritureNum empty or `0`
 *   falls back to (JournalCode, EcritureDate, PieceRef); unbalanced groups sharing the same
 *   number and date across journals are merged when together they balance;
 * - customers: CompAuxNum when filled, else the general account (`411ACME`);
 * - each customer's net in an entry is one document, classified by the accounts of the
 *   entry (not its journal): debit = invoice (or opening item), credit against revenue/VAT or
 *   charges = credit note, credit against cash/bank or third parties = payment, credit on
 *   419 only = prepayment, opening journals = opening items;
 * - lettering (EcritureLet) becomes allocations keyed by (account, aux account, code).
 */
export class FecLedgerBuilder {
  private readonly entries = new Map<string, Entry>();
  private readonly names = new Map<string, string>();
  private readonly strings = new Map<string, string>();
  private lines = 0;
  private minDate: string | null = null;
  private debit = 0n;
  private credit = 0n;

  constructor(private readonly opts: FecLedgerOptions) {}

  add(l: FecLine): void {
    this.lines++;
    if (this.minDate === null || l.ecritureDate < this.minDate) this.minDate = l.ecritureDate;
    if (l.amountMinor > 0n) this.debit += l.amountMinor;
    else this.credit -= l.amountMinor;
    const numbered = l.ecritureNum !== '' && !/^0+$/.test(l.ecritureNum);
    const key = numbered
      ? `${l.journalCode}\u0001${l.ecritureNum}\u0001${l.ecritureDate}`
      : `${l.journalCode}\u0002${l.ecritureDate}\u0002${l.pieceRef}`;
    let e = this.entries.get(key);
    if (!e) {
      const journal = this.intern(l.journalCode);
      e = {
        journal,
        num: numbered ? own(l.ecritureNum) : '',
        date: l.ecritureDate,
        pieceRef: numbered ? '' : own(l.pieceRef),
        sum: 0n,
        flags: 0,
        firstLine: l.line,
        docs: null,
      };
      this.entries.set(own(key), e);
    }
    e.sum += l.amountMinor;
    const flag = accountFlag(l.compteNum, this.opts.advancesAreCustomer);
    e.flags |= flag;
    if (!(flag & ACCOUNT.CUSTOMER)) return;

    const customer = this.intern(l.compAuxNum || l.compteNum);
    if (!this.names.has(customer)) this.names.set(customer, own(l.compAuxNum ? l.compAuxLib || l.compteLib : l.compteLib || l.compAuxLib) || customer);
    if (!e.docs) e.docs = [];
    let d = e.docs.find((x) => x.customer === customer);
    if (!d) {
      d = { entry: e, customer, amount: 0n, advanceOnly: true, firstLine: l.line, pieceRef: own(l.pieceRef), pieceDate: l.pieceDate, parts: null };
      e.docs.push(d);
    }
    d.amount += l.amountMinor;
    if (!(flag & ACCOUNT.ADVANCE)) d.advanceOnly = false;
    if (l.ecritureLet !== '') {
      const letterKey = `${this.intern(l.compteNum)}\u0001${l.compAuxNum}\u0001${l.ecritureLet}`;
      if (!d.parts) d.parts = [];
      const part = d.parts.find((p) => p.key === letterKey);
      if (part) {
        part.amount += l.amountMinor;
        if (l.dateLet && (!part.dateLet || l.dateLet > part.dateLet)) part.dateLet = l.dateLet;
      } else {
        d.parts.push({ key: own(letterKey), amount: l.amountMinor, dateLet: l.dateLet, line: l.line });
      }
    }
  }

  /**
   * Validates the entries (unbalanced ones are problems) and derives the ledger.
   * Problems go to `problems`; warnings are returned with the ledger.
   */
  finish(problems: ProblemList): FecLedger {
    const warnings: FecProblem[] = [];
    this.checkBalances(problems);
    const fyStart = this.opts.fiscalYearStart ?? this.minDate ?? '1900-01-01';
    const currency = this.opts.currency;
    const invoices: NormalizedInvoice[] = [];
    const payments: NormalizedPayment[] = [];
    const parts: Array<{ doc: LetteredDoc; key: string; part: LetterPart }> = [];
    const stats: FecStats = {
      lines: this.lines, entries: this.entries.size, customers: 0, invoices: 0, creditNotes: 0, payments: 0, openingItems: 0,
      allocations: 0, warnings: 0, totalDebitMinor: this.debit, totalCreditMinor: this.credit,
    };
    const seenIds = new Set<string>();
    /** Journals whose customer credits could not be classified by their counterparts. */
    const unknown = new Map<string, { line: number; count: number }>();

    for (const [key, e] of this.entries) {
      // Entries are released as they are converted: the output replaces them in memory.
      this.entries.delete(key);
      if (!e.docs) continue;
      const opening = isOpeningEntry(e.journal, e.date, e.flags, fyStart);
      for (const d of e.docs) {
        if (d.amount === 0n) continue;
        let id = `${idBase(e)}/${d.customer}`;
        if (seenIds.has(id)) id = `${id}#${d.firstLine}`;
        seenIds.add(id);
        const number = d.pieceRef || e.num || idBase(e);
        const kind = classify(d, e.flags, opening);
        if (d.amount < 0n && !opening && !d.advanceOnly && !(e.flags & KNOWN_COUNTERPARTS)) {
          const u = unknown.get(e.journal);
          if (u) u.count++;
          else unknown.set(e.journal, { line: d.firstLine, count: 1 });
        }
        const amount = d.amount < 0n ? -d.amount : d.amount;
        const ref: LetteredDoc = { id, kind: kind === 'invoice' ? 'invoice' : 'credit', date: kind === 'payment' ? e.date : d.pieceDate, capacity: amount, isCreditNote: kind === 'credit_note' };
        if (kind === 'invoice' || kind === 'credit_note') {
          invoices.push({
            externalId: id, customerExternalId: d.customer, kind, number, issueDate: d.pieceDate, dueDate: null, currency,
            totalMinor: amount, status: 'open', reference: opening ? `opening ${e.journal} ${e.date}` : `${e.journal} ${e.num || e.date}`,
          });
          if (opening) stats.openingItems++;
          else if (kind === 'invoice') stats.invoices++;
          else stats.creditNotes++;
        } else {
          const paymentKind = opening ? 'opening' : d.advanceOnly ? 'prepayment' : 'payment';
          payments.push({
            externalId: id, customerExternalId: d.customer, kind: paymentKind, date: e.date, currency, amountMinor: amount,
            method: e.flags & ACCOUNT.BANK ? 'bank' : opening ? null : 'offset', reference: number,
          });
          if (opening) stats.openingItems++;
          else stats.payments++;
        }
        if (d.parts) for (const part of d.parts) parts.push({ doc: ref, key: part.key, part });
      }
    }

    for (const [journal, u] of unknown) {
      warnings.push({
        file: this.opts.file, line: u.line, field: 'JournalCode',
        reason: `journal ${journal}: ${u.count} customer credit${u.count > 1 ? 's' : ''} with no revenue, VAT, charge, bank or opening counterpart, read as payment${u.count > 1 ? 's' : ''} (offset)`,
      });
    }
    const { allocations, unbalanced } = allocateLettering(parts, currency);
    for (const u of unbalanced) {
      const [account, aux, code] = u.key.split('\u0001');
      warnings.push({
        file: this.opts.file, line: u.line, field: 'EcritureLet',
        reason: `lettering ${code} on ${account}${aux ? `/${aux}` : ''} does not balance (${formatMinor(u.leftMinor, currency)} left open)`,
      });
    }
    // Fully allocated documents are paid.
    const allocated = new Map<string, bigint>();
    for (const a of allocations) {
      allocated.set(a.invoiceExternalId, (allocated.get(a.invoiceExternalId) ?? 0n) + a.amountMinor);
      const from = a.paymentExternalId ?? a.creditNoteExternalId!;
      allocated.set(from, (allocated.get(from) ?? 0n) + a.amountMinor);
    }
    for (const inv of invoices) if (allocated.get(inv.externalId) === inv.totalMinor) inv.status = 'paid';

    const customers: NormalizedCustomer[] = [];
    // Every customer seen on a customer account, including those whose lines net to zero.
    for (const key of [...this.names.keys()].sort()) {
      const terms = this.opts.customerTerms?.[key];
      customers.push({
        externalId: key, name: this.names.get(key) ?? key, currency,
        termsDays: terms ? terms.days : null, termsEndOfMonth: terms ? terms.endOfMonth : false,
      });
    }
    stats.customers = customers.length;
    stats.allocations = allocations.length;
    stats.warnings = warnings.length;
    return { customers, invoices, payments, allocations, warnings, stats };
  }

  private intern(s: string): string {
    let v = this.strings.get(s);
    if (v === undefined) {
      v = own(s);
      this.strings.set(v, v);
    }
    return v;
  }

  /**
   * Every entry must balance. Entries whose lines span several journals (same number and
   * date) are merged when together they balance.
   */
  private checkBalances(problems: ProblemList): void {
    const unbalanced = new Map<string, Entry[]>();
    for (const [key, e] of this.entries) {
      if (e.sum === 0n) continue;
      const group = e.num ? `${e.num}\u0001${e.date}` : `\u0002${e.date}\u0002${key.split('\u0002')[2] ?? ''}`;
      const list = unbalanced.get(group);
      if (list) list.push(e);
      else unbalanced.set(group, [e]);
    }
    for (const list of unbalanced.values()) {
      const total = list.reduce((s, e) => s + e.sum, 0n);
      if (list.length > 1 && total === 0n) {
        const [head, ...rest] = list.sort((a, b) => a.firstLine - b.firstLine);
        for (const e of rest) {
          head.sum += e.sum;
          head.flags |= e.flags;
          e.sum = 0n;
          for (const d of e.docs ?? []) {
            const same = head.docs?.find((x) => x.customer === d.customer);
            if (same) {
              same.amount += d.amount;
              same.advanceOnly &&= d.advanceOnly;
              for (const p of d.parts ?? []) {
                if (!same.parts) same.parts = [];
                const q = same.parts.find((x) => x.key === p.key);
                if (q) q.amount += p.amount;
                else same.parts.push(p);
              }
            } else {
              d.entry = head;
              (head.docs ??= []).push(d);
            }
          }
          e.docs = null;
        }
        continue;
      }
      for (const e of list) {
        const label = e.num ? `${e.journal} ${e.num}` : `${e.journal} ${e.pieceRef || '(no PieceRef)'}`;
        problems.add({
          file: this.opts.file, line: e.firstLine, field: 'EcritureNum',
          reason: `entry ${label} of ${e.date} is unbalanced: debit − credit = ${formatMinor(e.sum, this.opts.currency)}`,
        });
      }
    }
  }
}

const KNOWN_COUNTERPARTS = ACCOUNT.REVENUE | ACCOUNT.VAT | ACCOUNT.EXPENSE | ACCOUNT.BANK;

/** By accounts, not journal codes (see the class comment). */
function classify(d: Doc, flags: number, opening: boolean): 'invoice' | 'credit_note' | 'payment' {
  if (d.amount > 0n) return 'invoice';
  if (opening || d.advanceOnly) return 'payment';
  if (flags & ACCOUNT.REVENUE) return 'credit_note';
  if (flags & ACCOUNT.BANK) return 'payment';
  if (flags & (ACCOUNT.VAT | ACCOUNT.EXPENSE)) return 'credit_note';
  return 'payment';
}
