import { hasDsoFigures } from './api/reports';
import { filterAndSort, type PortfolioRow } from './customer-list';
import { currentCursor, firstPage, nextPage, previousPage } from './cursor-pages';
import { can } from './roles';

const row = (over: Partial<PortfolioRow>): PortfolioRow => ({
  customerId: over.name ?? 'x',
  name: 'x',
  currency: 'EUR',
  encoursMinor: 0,
  overdueMinor: 0,
  score: null,
  segment: null,
  lastReminderAt: null,
  collector: null,
  ...over,
});

describe('roles', () => {
  it('offers reading to everyone, actions from operator, configuration to admin', () => {
    expect([can('viewer', 'read'), can('viewer', 'act'), can('viewer', 'configure')]).toEqual([true, false, false]);
    expect([can('operator', 'read'), can('operator', 'act'), can('operator', 'configure')]).toEqual([true, true, false]);
    expect([can('admin', 'read'), can('admin', 'act'), can('admin', 'configure')]).toEqual([true, true, true]);
    expect(can(null, 'read')).toBe(false);
  });
});

describe('cursor pages', () => {
  it('walks forward with the API cursors and back through the ones seen', () => {
    let s = firstPage();
    expect(currentCursor(s)).toBeNull();
    s = nextPage(s, 'c1');
    s = nextPage(s, 'c2');
    expect([s.page, currentCursor(s)]).toEqual([2, 'c2']);
    s = previousPage(s);
    expect([s.page, currentCursor(s)]).toEqual([1, 'c1']);
    s = nextPage(s, 'c2b');
    expect(s.cursors).toEqual([null, 'c1', 'c2b']);
    expect(nextPage(s, null)).toBe(s);
    expect(previousPage(firstPage()).page).toBe(0);
  });
});

describe('customer list', () => {
  const rows = [
    row({ name: 'Alpha', encoursMinor: 500, overdueMinor: 100, score: 80, segment: 'good', collector: 'Anne' }),
    row({ name: 'Beta', encoursMinor: 900, overdueMinor: 0, score: 40, segment: 'risky', collector: null }),
    row({ name: 'Gamma', encoursMinor: 200, overdueMinor: 150, score: null, segment: 'watch', collector: 'Anne' }),
  ];
  const base = { search: '', segment: '', collector: '', sort: 'name' as const, descending: false };

  it('searches by name, case-insensitively', () => {
    expect(filterAndSort(rows, { ...base, search: 'AL' }).map((r) => r.name)).toEqual(['Alpha']);
  });

  it('filters by segment and by collector (or none)', () => {
    expect(filterAndSort(rows, { ...base, segment: 'risky' }).map((r) => r.name)).toEqual(['Beta']);
    expect(filterAndSort(rows, { ...base, collector: 'Anne' }).map((r) => r.name)).toEqual(['Alpha', 'Gamma']);
    expect(filterAndSort(rows, { ...base, collector: '-' }).map((r) => r.name)).toEqual(['Beta']);
  });

  it('sorts by figures in either direction, unknown values last', () => {
    expect(filterAndSort(rows, { ...base, sort: 'encours', descending: true }).map((r) => r.name)).toEqual(['Beta', 'Alpha', 'Gamma']);
    expect(filterAndSort(rows, { ...base, sort: 'overdue', descending: false }).map((r) => r.name)).toEqual(['Beta', 'Alpha', 'Gamma']);
    expect(filterAndSort(rows, { ...base, sort: 'score', descending: true }).map((r) => r.name)).toEqual(['Alpha', 'Beta', 'Gamma']);
    expect(filterAndSort(rows, { ...base, sort: 'score', descending: false }).map((r) => r.name)).toEqual(['Beta', 'Alpha', 'Gamma']);
  });
});

describe('DSO figures', () => {
  const month = (lines: Array<{ dso: number | null; bestPossibleDso: number | null; averageDaysDelinquent: number | null }>) => ({
    month: '2026-11',
    asOf: '2026-11-30',
    from: '2026-09-01',
    lines: lines.map((l, i) => ({ currency: i === 0 ? 'EUR' : 'USD', ...l })),
  });

  it('has figures when any currency line has one of the three, none when every line is null or there is no line', () => {
    const none = { dso: null, bestPossibleDso: null, averageDaysDelinquent: null };
    expect(hasDsoFigures(month([]))).toBe(false);
    expect(hasDsoFigures(month([none]))).toBe(false);
    expect(hasDsoFigures(month([none, { ...none, averageDaysDelinquent: 0 }]))).toBe(true);
    expect(hasDsoFigures(month([{ ...none, bestPossibleDso: 12.5 }]))).toBe(true);
    expect(hasDsoFigures(month([{ ...none, dso: 0 }]))).toBe(true);
  });
});
