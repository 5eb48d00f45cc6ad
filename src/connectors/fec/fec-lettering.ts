import { IntColumn, MinorColumn } from './fec-columns';
import type { FecEntries } from './fec-ledger.state';

/** Document kinds (0: no document — its lines net to zero). */
export const DOC = { INVOICE: 1, CREDIT_NOTE: 2, PAYMENT: 3 } as const;

export interface UnbalancedLettering {
  account: number;
  aux: number;
  code: number;
  line: number;
  leftMinor: bigint;
}

/** Allocations as columns (row = allocation), and what is left on each document. */
export interface LetteringResult {
  count: number;
  /** The payment or credit note. */
  credit: IntColumn;
  /** The invoice (or opening debit). */
  debit: IntColumn;
  amount: MinorColumn;
  date: IntColumn;
  /** By document: its absolute amount less what was allocated (0: fully allocated). */
  capacity: MinorColumn;
  unbalanced: UnbalancedLettering[];
}

/**
 * Lettering → allocations. Within each (account, aux account, code) group, credits
 * (payments, credit notes) are applied to debits (invoices) oldest first, never beyond what
 * is left on either side. A group that does not net to zero is partial lettering: what
 * cannot be matched stays open, and the group is reported. Groups may span fiscal years.
 * Groups come in the order of their first part, documents entry by entry.
 */
export function allocateLettering(s: FecEntries, kinds: Uint8Array): LetteringResult {
  const capacity = new MinorColumn();
  for (let d = 0; d < s.docCount; d++) {
    const amount = s.dAmount.get(d);
    capacity.push(amount < 0n ? -amount : amount);
  }
  const out: LetteringResult = { count: 0, credit: new IntColumn(), debit: new IntColumn(), amount: new MinorColumn(), date: new IntColumn(), capacity, unbalanced: [] };

  // Groups as linked lists of parts, in document order.
  const groupOf = new Map<string, number>();
  const first = new IntColumn();
  const last = new IntColumn();
  const next = new Int32Array(s.pDoc.length).fill(-1);
  for (let e = 0; e < s.entryCount; e++) {
    for (let d = s.eDoc.get(e); d >= 0; d = s.dNext.get(d)) {
      if (!kinds[d]) continue;
      for (let p = s.dPart.get(d); p >= 0; p = s.pNext.get(p)) {
        const key = `${s.pAccount.get(p)},${s.pAux.get(p)},${s.pCode.get(p)}`;
        const g = groupOf.get(key);
        if (g === undefined) {
          groupOf.set(key, first.push(p));
          last.push(p);
        } else {
          next[last.get(g)] = p;
          last.set(g, p);
        }
      }
    }
  }
  groupOf.clear();

  const docDate = (d: number) => s.str(kinds[d] === DOC.PAYMENT ? s.eDate.get(s.dEntry.get(d)) : s.dPieceDate.get(d));
  const order = (a: number, b: number) => {
    const x = docDate(s.pDoc.get(a));
    const y = docDate(s.pDoc.get(b));
    return x < y ? -1 : x > y ? 1 : s.pLine.get(a) - s.pLine.get(b);
  };
  const pairs = new Map<number, number>();
  const debits: number[] = [];
  const credits: number[] = [];
  for (let g = 0; g < first.length; g++) {
    let net = 0n;
    let line = Number.MAX_SAFE_INTEGER;
    let dateLet = -1;
    debits.length = 0;
    credits.length = 0;
    for (let p = first.get(g); p >= 0; p = next[p]) {
      const amount = s.pAmount.get(p);
      net += amount;
      line = Math.min(line, s.pLine.get(p));
      const dl = s.pDateLet.get(p);
      if (dl >= 0 && (dateLet < 0 || s.str(dl) > s.str(dateLet))) dateLet = dl;
      const kind = kinds[s.pDoc.get(p)];
      if (amount > 0n && kind === DOC.INVOICE) debits.push(p);
      else if (amount < 0n && kind !== DOC.INVOICE) credits.push(p);
    }
    const p0 = first.get(g);
    if (net !== 0n) out.unbalanced.push({ account: s.pAccount.get(p0), aux: s.pAux.get(p0), code: s.pCode.get(p0), line, leftMinor: net });
    if (!debits.length || !credits.length) continue;
    debits.sort(order);
    credits.sort(order);
    const debitLeft = debits.map((p) => s.pAmount.get(p));
    let i = 0;
    for (const c of credits) {
      const cd = s.pDoc.get(c);
      let left = -s.pAmount.get(c);
      while (left > 0n && i < debits.length) {
        const dd = s.pDoc.get(debits[i]);
        const take = min(left, debitLeft[i], capacity.get(dd), capacity.get(cd));
        if (take > 0n) {
          const pair = cd * s.docCount + dd;
          const existing = pairs.get(pair);
          if (existing !== undefined) out.amount.add(existing, take);
          else {
            pairs.set(pair, out.credit.push(cd));
            out.debit.push(dd);
            out.amount.push(take);
            out.date.push(dateLet >= 0 ? dateLet : laterDate(s, kinds, cd, dd));
          }
          left -= take;
          debitLeft[i] -= take;
          capacity.add(dd, -take);
          capacity.add(cd, -take);
        }
        if (debitLeft[i] === 0n || capacity.get(dd) === 0n) i++;
        else if (capacity.get(cd) === 0n) break;
      }
    }
  }
  out.count = out.credit.length;
  return out;
}

/** The later of the two documents' dates (string id). */
function laterDate(s: FecEntries, kinds: Uint8Array, a: number, b: number): number {
  const id = (d: number) => (kinds[d] === DOC.PAYMENT ? s.eDate.get(s.dEntry.get(d)) : s.dPieceDate.get(d));
  return s.str(id(a)) > s.str(id(b)) ? id(a) : id(b);
}

function min(...values: bigint[]): bigint {
  return values.reduce((a, b) => (b < a ? b : a));
}
