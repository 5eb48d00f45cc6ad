/**
 * Cursor pagination state for lists: the API gives `nextCursor`; going back needs the cursors
 * of the pages already seen.
 */
export interface CursorPages {
  /** cursors[i] loads page i (cursors[0] is null: the first page). */
  readonly cursors: ReadonlyArray<string | null>;
  readonly page: number;
}

export const firstPage = (): CursorPages => ({ cursors: [null], page: 0 });

export function nextPage(s: CursorPages, nextCursor: string | null): CursorPages {
  if (!nextCursor) return s;
  const cursors = s.cursors.slice(0, s.page + 1);
  cursors.push(nextCursor);
  return { cursors, page: s.page + 1 };
}

export function previousPage(s: CursorPages): CursorPages {
  return s.page === 0 ? s : { cursors: s.cursors, page: s.page - 1 };
}

export const currentCursor = (s: CursorPages): string | null => s.cursors[s.page] ?? null;
