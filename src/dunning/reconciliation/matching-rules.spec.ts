import { findAmountSets, matchOpenItems, OpenInvoice, OpenSource } from './matching-rules';

const inv = (id: string, remaining: number, dueDate: string, over: Partial<OpenInvoice> = {}): OpenInvoice => ({
  id, customerId: 'c1', currency: 'EUR', issueDate: '2026-01-01', dueDate, remaining: BigInt(remaining), ...over,
});
const pay = (id: string, remaining: number, over: Partial<OpenSource> = {}): OpenSource => ({
  kind: 'payment', id, customerId: 'c1', currency: 'EUR', date: '2026-02-10', remaining: BigInt(remaining), ...over,
});
const run = (sources: OpenSource[], invoices: OpenInvoice[], over: { hits?: Record<string, string[]>; rejected?: string[]; oldestFirst?: boolean } = {}) =>
  matchOpenItems({
    sources, invoices, referenceHits: new Map(Object.entries(over.hits ?? {})), rejected: new Set(over.rejected ?? []), oldestFirst: over.oldestFirst ?? false,
  }).map((a) => [a.sourceId, a.invoiceId, Number(a.amount), a.method, a.confidence]);

describe('matching rules', () => {
  it('matches invoice numbers found in the reference, oldest due first', () => {
    expect(run([pay('p1', 50000)], [inv('i103', 20000, '2026-02-28'), inv('i102', 30000, '2026-01-31')], { hits: { p1: ['i103', 'i102'] } })).toEqual([
      ['p1', 'i102', 30000, 'reference', 95],
      ['p1', 'i103', 20000, 'reference', 95],
    ]);
    // A partial payment of a referenced invoice.
    expect(run([pay('p1', 10000)], [inv('i1', 30000, '2026-01-31')], { hits: { p1: ['i1'] } })).toEqual([['p1', 'i1', 10000, 'reference', 85]]);
  });

  it('matches an exact amount only when one open invoice has it', () => {
    expect(run([pay('p1', 25000)], [inv('i1', 25000, '2026-01-31'), inv('i2', 40000, '2026-01-15')])).toEqual([['p1', 'i1', 25000, 'exact_amount', 90]]);
    expect(run([pay('p1', 25000)], [inv('i1', 25000, '2026-01-31'), inv('i2', 25000, '2026-01-15')])).toEqual([]);
  });

  it('matches a set of invoices whose amounts add up, ambiguity lowering the confidence', () => {
    expect(run([pay('p1', 70000)], [inv('i1', 30000, '2026-01-10'), inv('i2', 40000, '2026-01-20'), inv('i3', 65000, '2026-01-05')])).toEqual([
      ['p1', 'i1', 30000, 'amount_set', 75],
      ['p1', 'i2', 40000, 'amount_set', 75],
    ]);
    expect(run([pay('p1', 30000)], [inv('a', 10000, '2026-01-01'), inv('b', 20000, '2026-01-02'), inv('c', 15000, '2026-01-03'), inv('d', 15000, '2026-01-04')])).toEqual([
      ['p1', 'a', 10000, 'amount_set', 60],
      ['p1', 'b', 20000, 'amount_set', 60],
    ]);
  });

  it('applies the rest oldest first only when enabled', () => {
    const invoices = [inv('i2', 30000, '2026-02-15'), inv('i1', 20000, '2026-01-31')];
    expect(run([pay('p1', 35000)], invoices)).toEqual([]);
    expect(run([pay('p1', 35000)], invoices, { oldestFirst: true })).toEqual([
      ['p1', 'i1', 20000, 'oldest_first', 50],
      ['p1', 'i2', 15000, 'oldest_first', 50],
    ]);
  });

  it('never matches across customers or currencies, nor a rejected pair', () => {
    const invoices = [inv('other-customer', 10000, '2026-01-31', { customerId: 'c2' }), inv('usd', 10000, '2026-01-31', { currency: 'USD' })];
    expect(run([pay('p1', 10000)], invoices, { hits: { p1: ['other-customer', 'usd'] }, oldestFirst: true })).toEqual([]);
    expect(run([pay('p1', 10000)], [inv('i1', 10000, '2026-01-31')], { rejected: ['p1|i1'], oldestFirst: true })).toEqual([]);
  });

  it('lets earlier sources take an invoice first and dates the allocation at the later document', () => {
    const out = matchOpenItems({
      sources: [pay('late', 10000, { date: '2026-03-01' }), pay('early', 10000, { date: '2026-01-20' })],
      invoices: [inv('i1', 10000, '2026-01-31', { issueDate: '2026-01-25' })],
      referenceHits: new Map(), rejected: new Set(), oldestFirst: false,
    });
    expect(out.map((a) => [a.sourceId, a.date])).toEqual([['early', '2026-01-25']]);
  });

  it('bounds the set search', () => {
    expect(findAmountSets([1n, 2n, 3n], 3n)).toEqual({ first: [0, 1], count: 1 });
    expect(findAmountSets([5n, 7n], 3n)).toEqual({ first: null, count: 0 });
    expect(findAmountSets(Array.from({ length: 16 }, () => 1n), 6n)).toEqual({ first: null, count: 0 });
  });
});
