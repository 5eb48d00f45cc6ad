import { useState } from 'react';
import { currentCursor, firstPage, nextPage, previousPage } from '../cursor-pages';
import { useAsync, type AsyncState } from './use-async';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A cursor-paginated list; `deps` reset it to the first page. */
export function usePaged<T>(load: (cursor: string | null) => Promise<Page<T>>, deps: unknown[]) {
  const [pages, setPages] = useState(firstPage);
  const [depsKey, setDepsKey] = useState(JSON.stringify(deps));
  const key = JSON.stringify(deps);
  if (key !== depsKey) {
    setDepsKey(key);
    setPages(firstPage());
  }
  const cursor = key === depsKey ? currentCursor(pages) : null;
  const state: AsyncState<Page<T>> = useAsync(() => load(cursor), [key, cursor]);
  return {
    state,
    page: pages.page,
    hasNext: !!state.data?.nextCursor,
    next: () => setPages((p) => nextPage(p, state.data?.nextCursor ?? null)),
    previous: () => setPages(previousPage),
  };
}
