import type { MatchMethod } from '../../ledger/allocation.entity';

/** A payment or credit note with an unallocated remainder. */
export interface OpenSource {
  kind: 'payment' | 'credit_note';
  id: string;
  customerId: string;
  currency: string;
  date: string;
  remaining: bigint;
}

/** An invoice with an outstanding amount. */
export interface OpenInvoice {
  id: string;
  customerId: string;
  currency: string;
  issueDate: string;
  dueDate: string;
  remaining: bigint;
}

export interface ProposedAllocation {
  sourceKind: 'payment' | 'credit_note';
  sourceId: string;
  invoiceId: string;
  amount: bigint;
  /** The later of the source's and the invoice's dates. */
  date: string;
  method: Exclude<MatchMethod, 'source' | 'manual'>;
  confidence: number;
}

export interface MatchInput {
  sources: OpenSource[];
  invoices: OpenInvoice[];
  /** Source id → invoice ids whose number appears in the source's reference or label. */
  referenceHits: Map<string, string[]>;
  /** `sourceId|invoiceId` pairs an operator rejected: never proposed again. */
  rejected: Set<string>;
  oldestFirst: boolean;
}

export const CONFIDENCE = { reference: 95, referencePartial: 85, exactAmount: 90, amountSet: 75, amountSetAmbiguous: 60, oldestFirst: 50 } as const;

/** Bounds of the amount-set search: the oldest invoices considered, largest set, nodes visited. */
export const AMOUNT_SET_LIMITS = { invoices: 16, setSize: 5, nodes: 20_000 } as const;

const byDateThenId = <T extends { id: string }>(date: (x: T) => string) => (a: T, b: T) =>
  date(a) < date(b) ? -1 : date(a) > date(b) ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/**
 * Rule-based matching of unallocated payments and credits to open invoices of the same
 * customer and currency, rule after rule over all sources: invoice number in the
 * reference; exact amount of exactly one open invoice; exact amount of a set of open
 * invoices (bounded search); oldest first when enabled. Sources are taken oldest first;
 * nothing is allocated beyond what either side has left.
 */
export function matchOpenItems(input: MatchInput): ProposedAllocation[] {
  const out: ProposedAllocation[] = [];
  const sources = [...input.sources].sort(byDateThenId((s) => s.date));
  const invoices = new Map(input.invoices.map((i) => [i.id, { ...i }]));
  const byCustomer = new Map<string, Array<OpenInvoice>>();
  for (const inv of [...invoices.values()].sort(byDateThenId((i) => i.dueDate))) {
    const k = `${inv.customerId}|${inv.currency}`;
    const list = byCustomer.get(k) ?? [];
    list.push(inv);
    byCustomer.set(k, list);
  }
  const remaining = new Map(sources.map((s) => [s.id, s.remaining]));
  const allowed = (s: OpenSource, inv: OpenInvoice) =>
    inv.customerId === s.customerId && inv.currency === s.currency && inv.remaining > 0n && !input.rejected.has(`${s.id}|${inv.id}`);
  const candidates = (s: OpenSource) => (byCustomer.get(`${s.customerId}|${s.currency}`) ?? []).filter((inv) => allowed(s, inv));
  const allocate = (s: OpenSource, inv: OpenInvoice, amount: bigint, method: ProposedAllocation['method'], confidence: number) => {
    inv.remaining -= amount;
    remaining.set(s.id, remaining.get(s.id)! - amount);
    out.push({ sourceKind: s.kind, sourceId: s.id, invoiceId: inv.id, amount, date: s.date > inv.issueDate ? s.date : inv.issueDate, method, confidence });
  };

  // 1. Invoice number in the reference or label.
  for (const s of sources) {
    const hits = (input.referenceHits.get(s.id) ?? [])
      .map((id) => invoices.get(id))
      .filter((inv): inv is OpenInvoice => !!inv && allowed(s, inv))
      .sort(byDateThenId((i) => i.dueDate));
    if (!hits.length) continue;
    const exact = hits.reduce((a, i) => a + i.remaining, 0n) === remaining.get(s.id);
    for (const inv of hits) {
      const left = remaining.get(s.id)!;
      if (left <= 0n) break;
      const amount = left < inv.remaining ? left : inv.remaining;
      allocate(s, inv, amount, 'reference', exact ? CONFIDENCE.reference : CONFIDENCE.referencePartial);
    }
  }

  // 2. Exact amount of exactly one open invoice.
  for (const s of sources) {
    const left = remaining.get(s.id)!;
    if (left <= 0n) continue;
    const same = candidates(s).filter((inv) => inv.remaining === left);
    if (same.length === 1) allocate(s, same[0], left, 'exact_amount', CONFIDENCE.exactAmount);
  }

  // 3. Exact amount of a set of open invoices.
  for (const s of sources) {
    const left = remaining.get(s.id)!;
    if (left <= 0n) continue;
    const pool = candidates(s).filter((inv) => inv.remaining < left).slice(0, AMOUNT_SET_LIMITS.invoices);
    const found = findAmountSets(pool.map((i) => i.remaining), left);
    if (!found.first) continue;
    const confidence = found.count > 1 ? CONFIDENCE.amountSetAmbiguous : CONFIDENCE.amountSet;
    for (const idx of found.first) allocate(s, pool[idx], pool[idx].remaining, 'amount_set', confidence);
  }

  // 4. Oldest first, when the tenant enables it.
  if (input.oldestFirst) {
    for (const s of sources) {
      for (const inv of candidates(s)) {
        const left = remaining.get(s.id)!;
        if (left <= 0n) break;
        allocate(s, inv, left < inv.remaining ? left : inv.remaining, 'oldest_first', CONFIDENCE.oldestFirst);
      }
    }
  }
  return out;
}

/**
 * Sets of 2 to `setSize` amounts (indexes into `amounts`, all positive) summing exactly to
 * `target`, searched depth first, oldest first, within a node budget. Answers the first
 * set found and how many were found (1, or 2 meaning "more than one").
 */
export function findAmountSets(amounts: bigint[], target: bigint): { first: number[] | null; count: number } {
  let nodes = 0;
  let first: number[] | null = null;
  let count = 0;
  const suffix: bigint[] = new Array(amounts.length + 1).fill(0n);
  for (let i = amounts.length - 1; i >= 0; i--) suffix[i] = suffix[i + 1] + amounts[i];
  const path: number[] = [];
  const walk = (start: number, left: bigint): void => {
    if (count > 1 || nodes++ > AMOUNT_SET_LIMITS.nodes) return;
    if (left === 0n) {
      if (path.length >= 2) {
        count++;
        if (!first) first = [...path];
      }
      return;
    }
    if (path.length === AMOUNT_SET_LIMITS.setSize || suffix[start] < left) return;
    for (let i = start; i < amounts.length; i++) {
      if (amounts[i] > left) continue;
      path.push(i);
      walk(i + 1, left - amounts[i]);
      path.pop();
      if (count > 1) return;
    }
  };
  walk(0, target);
  return { first, count };
}
