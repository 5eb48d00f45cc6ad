import type { NormalizedAllocation } from '../connector';

/** The lettered amount of one document under one (account, aux account, code) key. */
export interface LetterPart {
  /** Debit − credit of the document's lines with that lettering. */
  amount: bigint;
  dateLet: string | null;
  line: number;
}

export interface LetteredDoc {
  id: string;
  /** `invoice`: a debit document (invoice, opening item); `credit`: a credit note or a payment. */
  kind: 'invoice' | 'credit';
  isCreditNote: boolean;
  date: string;
  /** What is left to allocate on the document (starts at its absolute amount). */
  capacity: bigint;
}

export interface UnbalancedLettering {
  key: string;
  line: number;
  leftMinor: bigint;
}

/**
 * Lettering → allocations. Within each (account, aux account, code) group, credits
 * (payments, credit notes) are applied to debits (invoices) oldest first, never beyond what
 * is left on either side. A group that does not net to zero is partial lettering: what
 * cannot be matched stays open, and the group is reported. Groups may span fiscal years.
 */
export function allocateLettering(
  parts: Array<{ doc: LetteredDoc; key: string; part: LetterPart }>,
  currency: string,
): { allocations: NormalizedAllocation[]; unbalanced: UnbalancedLettering[] } {
  const groups = new Map<string, typeof parts>();
  for (const p of parts) {
    const g = groups.get(p.key);
    if (g) g.push(p);
    else groups.set(p.key, [p]);
  }
  const byId = new Map<string, NormalizedAllocation>();
  const unbalanced: UnbalancedLettering[] = [];
  const order = (a: (typeof parts)[number], b: (typeof parts)[number]) =>
    a.doc.date < b.doc.date ? -1 : a.doc.date > b.doc.date ? 1 : a.part.line - b.part.line;

  for (const [key, group] of groups) {
    let net = 0n;
    let line = Number.MAX_SAFE_INTEGER;
    let dateLet: string | null = null;
    for (const p of group) {
      net += p.part.amount;
      line = Math.min(line, p.part.line);
      if (p.part.dateLet && (!dateLet || p.part.dateLet > dateLet)) dateLet = p.part.dateLet;
    }
    if (net !== 0n) unbalanced.push({ key, line, leftMinor: net });
    const debits = group.filter((p) => p.part.amount > 0n && p.doc.kind === 'invoice').sort(order);
    const credits = group.filter((p) => p.part.amount < 0n && p.doc.kind === 'credit').sort(order);
    const debitLeft = debits.map((p) => p.part.amount);
    let i = 0;
    for (const c of credits) {
      let left = -c.part.amount;
      while (left > 0n && i < debits.length) {
        const d = debits[i];
        const take = min(left, debitLeft[i], d.doc.capacity, c.doc.capacity);
        if (take > 0n) {
          const id = `${c.doc.id}>${d.doc.id}`;
          const date = dateLet ?? (c.doc.date > d.doc.date ? c.doc.date : d.doc.date);
          const existing = byId.get(id);
          if (existing) existing.amountMinor += take;
          else {
            byId.set(id, {
              externalId: id,
              invoiceExternalId: d.doc.id,
              paymentExternalId: c.doc.isCreditNote ? null : c.doc.id,
              creditNoteExternalId: c.doc.isCreditNote ? c.doc.id : null,
              amountMinor: take,
              currency,
              date,
            });
          }
          left -= take;
          debitLeft[i] -= take;
          d.doc.capacity -= take;
          c.doc.capacity -= take;
        }
        if (debitLeft[i] === 0n || d.doc.capacity === 0n) i++;
        else if (c.doc.capacity === 0n) break;
      }
    }
  }
  return { allocations: [...byId.values()], unbalanced };
}

function min(...values: bigint[]): bigint {
  return values.reduce((a, b) => (b < a ? b : a));
}
