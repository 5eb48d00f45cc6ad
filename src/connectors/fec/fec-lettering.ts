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
  /** Allocations (rows less the dropped ones). */
  count: number;
  /** Rows merged into an earlier row of the same pair (1): not allocations of their own. */
  dropped: Uint8Array;
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
 * Groups come in the order of their first part, documents entry by entry; an allocation
 * comes where its (payment or credit note, invoice) pair is first met.
 */
export function allocateLettering(s: FecEntries, kinds: Uint8Array): LetteringResult {
  const capacity = new MinorColumn();
  for (let d = 0; d < s.docCount; d++) {
    const amount = s.dAmount.get(d);
    capacity.push(amount < 0n ? -amount : amount);
  }
  const out: LetteringResult = { count: 0, dropped: new Uint8Array(0), credit: new IntColumn(), debit: new IntColumn(), amount: new MinorColumn(), date: new IntColumn(), capacity, unbalanced: [] };

  // Parts in document order, then sorted by (account, aux, code): a group is a run.
  const rank = new Int32Array(s.pDoc.length);
  const byKey = new Int32Array(s.pDoc.length);
  let n = 0;
  for (let e = 0; e < s.entryCount; e++) {
    for (let d = s.eDoc.get(e); d >= 0; d = s.dNext.get(d)) {
      if (!kinds[d]) continue;
      for (let p = s.dPart.get(d); p >= 0; p = s.pNext.get(p)) {
        rank[p] = n;
        byKey[n++] = p;
      }
    }
  }
  const parts = byKey.subarray(0, n).sort(
    (a, b) => s.pAccount.get(a) - s.pAccount.get(b) || s.pAux.get(a) - s.pAux.get(b) || s.pCode.get(a) - s.pCode.get(b) || rank[a] - rank[b],
  );
  const sameKey = (a: number, b: number) => s.pAccount.get(a) === s.pAccount.get(b) && s.pAux.get(a) === s.pAux.get(b) && s.pCode.get(a) === s.pCode.get(b);
  const starts = new IntColumn();
  for (let i = 0; i < n; i++) if (i === 0 || !sameKey(parts[i - 1], parts[i])) starts.push(i);
  // Groups in the order of their first part.
  const groups = new Int32Array(starts.length);
  for (let g = 0; g < starts.length; g++) groups[g] = g;
  groups.sort((a, b) => rank[parts[starts.get(a)]] - rank[parts[starts.get(b)]]);

  const docDate = (d: number) => s.str(kinds[d] === DOC.PAYMENT ? s.eDate.get(s.dEntry.get(d)) : s.dPieceDate.get(d));
  const order = (a: number, b: number) => {
    const x = docDate(s.pDoc.get(a));
    const y = docDate(s.pDoc.get(b));
    return x < y ? -1 : x > y ? 1 : s.pLine.get(a) - s.pLine.get(b);
  };
  const debits: number[] = [];
  const credits: number[] = [];
  for (const g of groups) {
    const from = starts.get(g);
    const to = g + 1 < starts.length ? starts.get(g + 1) : n;
    let net = 0n;
    let line = Number.MAX_SAFE_INTEGER;
    let dateLet = -1;
    debits.length = 0;
    credits.length = 0;
    for (let i = from; i < to; i++) {
      const p = parts[i];
      const amount = s.pAmount.get(p);
      net += amount;
      line = Math.min(line, s.pLine.get(p));
      const dl = s.pDateLet.get(p);
      if (dl >= 0 && (dateLet < 0 || s.str(dl) > s.str(dateLet))) dateLet = dl;
      const kind = kinds[s.pDoc.get(p)];
      if (amount > 0n && kind === DOC.INVOICE) debits.push(p);
      else if (amount < 0n && kind !== DOC.INVOICE) credits.push(p);
    }
    const p0 = parts[from];
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
          out.credit.push(cd);
          out.debit.push(dd);
          out.amount.push(take);
          out.date.push(dateLet >= 0 ? dateLet : laterDate(s, kinds, cd, dd));
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
  mergePairs(out);
  return out;
}

/**
 * One allocation per (credit, debit) pair: a pair met again (in another lettering group)
 * adds its amount to the first one, which keeps its place and date; the others are dropped.
 */
function mergePairs(out: LetteringResult): void {
  const rows = out.credit.length;
  const order = new Int32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  order.sort((a, b) => out.credit.get(a) - out.credit.get(b) || out.debit.get(a) - out.debit.get(b) || a - b);
  out.dropped = new Uint8Array(rows);
  let count = rows;
  for (let i = 1, head = order[0]; i < rows; i++) {
    const r = order[i];
    if (out.credit.get(r) === out.credit.get(head) && out.debit.get(r) === out.debit.get(head)) {
      out.amount.add(head, out.amount.get(r));
      out.dropped[r] = 1;
      count--;
    } else head = r;
  }
  out.count = count;
}

/** The later of the two documents' dates (string id). */
function laterDate(s: FecEntries, kinds: Uint8Array, a: number, b: number): number {
  const id = (d: number) => (kinds[d] === DOC.PAYMENT ? s.eDate.get(s.dEntry.get(d)) : s.dPieceDate.get(d));
  return s.str(id(a)) > s.str(id(b)) ? id(a) : id(b);
}

function min(...values: bigint[]): bigint {
  return values.reduce((a, b) => (b < a ? b : a));
}
