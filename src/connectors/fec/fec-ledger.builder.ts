import { formatMinor } from '../../common/money';
import { ACCOUNT, accountFlag } from './fec-accounts';
import { own } from './fec-columns';
import type { ProblemList } from './fec-errors';
import type { FecLine } from './fec-line';
import type { FecLedger, FecLedgerOptions } from './fec-ledger.types';
import { EntryIndex, FecEntries } from './fec-ledger.state';
import { deriveLedger } from './fec-ledger.records';

/**
 * Turns a stream of FEC lines into a receivables ledger, in memory proportional to the
 * entries and customer lines, held as columns (FecEntries); the records are derived from
 * them batch by batch when written (FecLedger.records).
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
  private readonly s = new FecEntries();
  private readonly index = new EntryIndex(this.s);
  private readonly names = new Map<string, string>();
  private last = { entry: -1, journal: '', num: '', date: '', pieceRef: '', numbered: false };
  private lines = 0;
  private minDate: string | null = null;
  private debit = 0n;
  private credit = 0n;

  constructor(private readonly opts: FecLedgerOptions) {}

  add(l: FecLine): void {
    const s = this.s;
    this.lines++;
    if (this.minDate === null || l.ecritureDate < this.minDate) this.minDate = l.ecritureDate;
    const amount = l.amountMinor;
    if (amount > 0n) this.debit += amount;
    else this.credit -= amount;
    // The lines of an entry usually follow each other: the previous line's entry first.
    const last = this.last;
    const e =
      last.entry >= 0 && l.ecritureNum === last.num && l.journalCode === last.journal && l.ecritureDate === last.date && (last.numbered || l.pieceRef === last.pieceRef)
        ? last.entry
        : this.entryOf(l);
    s.eSum.add(e, amount);
    const flag = accountFlag(l.compteNum, this.opts.advancesAreCustomer);
    s.eFlags.set(e, s.eFlags.get(e) | flag);
    if (!(flag & ACCOUNT.CUSTOMER)) return;

    const customerKey = l.compAuxNum || l.compteNum;
    const customer = s.strings.id(customerKey);
    if (!this.names.has(s.str(customer))) {
      this.names.set(s.str(customer), own(l.compAuxNum ? l.compAuxLib || l.compteLib : l.compteLib || l.compAuxLib) || s.str(customer));
    }
    let d = s.findDoc(e, customer);
    if (d < 0) d = s.addDoc(e, customer, l.line, own(l.pieceRef), s.strings.id(l.pieceDate));
    s.dAmount.add(d, amount);
    if (!(flag & ACCOUNT.ADVANCE)) s.dAdvanceOnly.set(d, 0);
    if (l.ecritureLet !== '') {
      const account = s.strings.id(l.compteNum);
      const aux = s.strings.id(l.compAuxNum);
      const code = s.strings.id(l.ecritureLet);
      const p = s.findPart(d, account, aux, code);
      if (p < 0) {
        s.addPart(d, account, aux, code, amount, l.dateLet ? s.strings.id(l.dateLet) : -1, l.line);
      } else {
        s.pAmount.add(p, amount);
        const was = s.pDateLet.get(p);
        if (l.dateLet && (was < 0 || l.dateLet > s.str(was))) s.pDateLet.set(p, s.strings.id(l.dateLet));
      }
    }
  }

  /** The entry of `l`, created at its first line. */
  private entryOf(l: FecLine): number {
    const s = this.s;
    const numbered = l.ecritureNum !== '' && !/^0+$/.test(l.ecritureNum);
    const journal = s.strings.id(l.journalCode);
    const date = s.strings.id(l.ecritureDate);
    const num = numbered ? l.ecritureNum : '';
    const h = EntryIndex.hash(journal, date, num, l.pieceRef);
    let e = this.index.find(journal, date, num, l.pieceRef, h);
    if (e < 0) {
      e = s.addEntry(journal, num, date, numbered ? '' : own(l.pieceRef), l.line);
      this.index.add(e, h);
    }
    this.last = { entry: e, journal: s.str(journal), num: l.ecritureNum, date: s.str(date), pieceRef: l.pieceRef, numbered };
    return e;
  }

  /**
   * Validates the entries (unbalanced ones are problems) and derives the ledger.
   * Problems go to `problems`; warnings are returned with the ledger.
   */
  finish(problems: ProblemList): FecLedger {
    this.checkBalances(problems);
    // Balances checked: the running sums are no longer needed.
    this.s.eSum.clear();
    return deriveLedger(this.s, this.names, {
      ...this.opts,
      fiscalYearStart: this.opts.fiscalYearStart ?? this.minDate ?? '1900-01-01',
      lines: this.lines,
      totalDebitMinor: this.debit,
      totalCreditMinor: this.credit,
    });
  }

  /**
   * Every entry must balance. Entries whose lines span several journals (same number and
   * date) are merged when together they balance.
   */
  private checkBalances(problems: ProblemList): void {
    const s = this.s;
    const unbalanced = new Map<string, number[]>();
    for (let e = 0; e < s.entryCount; e++) {
      if (s.eSum.get(e) === 0n) continue;
      const num = s.eNum.get(e);
      const date = s.str(s.eDate.get(e));
      const group = num ? `${num}\u0001${date}` : `\u0002${date}\u0002${s.ePiece.get(e)}`;
      const list = unbalanced.get(group);
      if (list) list.push(e);
      else unbalanced.set(group, [e]);
    }
    for (const list of unbalanced.values()) {
      const total = list.reduce((sum, e) => sum + s.eSum.get(e), 0n);
      if (list.length > 1 && total === 0n) {
        const [head, ...rest] = list.sort((a, b) => s.eFirstLine.get(a) - s.eFirstLine.get(b));
        for (const e of rest) this.merge(head, e);
        continue;
      }
      for (const e of list) {
        const journal = s.str(s.eJournal.get(e));
        const num = s.eNum.get(e);
        const label = num ? `${journal} ${num}` : `${journal} ${s.ePiece.get(e) || '(no PieceRef)'}`;
        problems.add({
          file: this.opts.file, line: s.eFirstLine.get(e), field: 'EcritureNum',
          reason: `entry ${label} of ${s.str(s.eDate.get(e))} is unbalanced: debit − credit = ${formatMinor(s.eSum.get(e), this.opts.currency)}`,
        });
      }
    }
  }

  /** Moves entry `e` into `head`: sums, flags, and documents merged by customer. */
  private merge(head: number, e: number): void {
    const s = this.s;
    s.eSum.add(head, s.eSum.get(e));
    s.eFlags.set(head, s.eFlags.get(head) | s.eFlags.get(e));
    s.eSum.set(e, 0n);
    for (let d = s.eDoc.get(e), next: number; d >= 0; d = next) {
      next = s.dNext.get(d);
      const same = s.findDoc(head, s.dCustomer.get(d));
      if (same < 0) {
        s.appendDoc(head, d);
        continue;
      }
      s.dAmount.add(same, s.dAmount.get(d));
      s.dAdvanceOnly.set(same, s.dAdvanceOnly.get(same) & s.dAdvanceOnly.get(d));
      for (let p = s.dPart.get(d), pn: number; p >= 0; p = pn) {
        pn = s.pNext.get(p);
        const q = s.findPart(same, s.pAccount.get(p), s.pAux.get(p), s.pCode.get(p));
        if (q >= 0) s.pAmount.add(q, s.pAmount.get(p));
        else s.appendPart(same, p);
      }
    }
    s.eDoc.set(e, -1);
  }
}
