/** The customer list: rows joined from the API by customer id, then filtered and ordered for display. */
/** One line: every figure is the API's, unchanged. */
export interface PortfolioRow {
  customerId: string;
  name: string;
  currency: string;
  encoursMinor: number | null;
  overdueMinor: number | null;
  score: number | null;
  segment: string | null;
  lastReminderAt: string | null;
  collector: string | null;
}

export type SortKey = 'name' | 'encours' | 'overdue' | 'score' | 'lastReminder';

export interface ListFilter {
  search: string;
  segment: string;
  collector: string;
  sort: SortKey;
  descending: boolean;
}

/** Filters and orders rows for display (no figure is computed here). */
export function filterAndSort(rows: readonly PortfolioRow[], f: ListFilter): PortfolioRow[] {
  const q = f.search.trim().toLocaleLowerCase();
  const out = rows.filter(
    (r) =>
      (!q || r.name.toLocaleLowerCase().includes(q)) &&
      (!f.segment || r.segment === f.segment) &&
      (!f.collector || (f.collector === '-' ? !r.collector : r.collector === f.collector)),
  );
  const key = (r: PortfolioRow): string | number | null =>
    f.sort === 'name' ? r.name.toLocaleLowerCase() : f.sort === 'encours' ? r.encoursMinor : f.sort === 'overdue' ? r.overdueMinor : f.sort === 'score' ? r.score : r.lastReminderAt;
  out.sort((a, b) => {
    const x = key(a);
    const y = key(b);
    if (x === y) return a.name.localeCompare(b.name);
    if (x === null) return 1;
    if (y === null) return -1;
    const c = x < y ? -1 : 1;
    return f.descending ? -c : c;
  });
  return out;
}

