import type { Cursor } from '../connector';
import type { XeroEntity } from './xero-entities';

/**
 * A new run re-reads this much before the greatest `UpdatedDateUTC` seen (commits landing
 * late, clock skew): records are stamped about when they are committed, so late ones are
 * at the head of the list, which is where this window sits.
 */
export const XERO_OVERLAP_MS = 2 * 60_000;
/** Within a run, the next page re-reads this much before the last page's greatest time (ties). */
export const XERO_PAGE_OVERLAP_MS = 1_000;

/** Where an entity's pull stands. */
export interface XeroWatermark {
  /** Greatest `UpdatedDateUTC` seen (ISO), never our own "now". */
  at: string | null;
  /** `id@epochMs` of the records already pulled within the overlap window before `at` (deduplication). */
  recent: string[];
}

/** What a Xero connection remembers between batches and runs. */
export interface XeroCursor {
  v: 1;
  /** Per entity, completed pulls. */
  done: Partial<Record<XeroEntity, XeroWatermark>>;
  /** The entity a run was pulling when the batch was written (absent between runs). */
  phase?: XeroEntity;
  /** `If-Modified-Since` and page of the next request of `phase`. */
  ims?: string | null;
  page?: number;
  /** The pull of `phase` so far. */
  mark?: XeroWatermark;
}

export function readXeroCursor(cursor: Cursor | null): XeroCursor {
  if (!cursor || cursor.v !== 1 || typeof cursor.done !== 'object' || cursor.done === null) return { v: 1, done: {} };
  return cursor as unknown as XeroCursor;
}

/** `If-Modified-Since` for a watermark: its time minus the overlap; null = from the beginning. */
export function imsFor(mark: XeroWatermark | undefined): string | null {
  if (!mark?.at) return null;
  return new Date(Date.parse(mark.at) - XERO_OVERLAP_MS).toISOString();
}

/** The watermark after a page: the greatest time, and the keys inside the overlap window of it. */
export function advanceMark(mark: XeroWatermark, page: Array<{ key: string; at: Date }>): XeroWatermark {
  let at = mark.at ? Date.parse(mark.at) : null;
  for (const r of page) if (at === null || r.at.getTime() > at) at = r.at.getTime();
  if (at === null) return mark;
  const floor = at - XERO_OVERLAP_MS;
  const keys = new Set<string>();
  for (const k of mark.recent) if (Number(k.slice(k.lastIndexOf('@') + 1)) >= floor) keys.add(k);
  for (const r of page) if (r.at.getTime() >= floor) keys.add(r.key);
  return { at: new Date(at).toISOString(), recent: [...keys].slice(-2000) };
}

/**
 * The next request after a full page: keyset paging on `UpdatedDateUTC` (a record updated
 * while we page moves to the end, where a later request still finds it), falling back to the
 * next page number when a whole page fits inside the overlap.
 */
export function nextRequest(ims: string | null, page: number, pageMaxAt: Date | null): { ims: string | null; page: number } {
  if (!pageMaxAt) return { ims, page: page + 1 };
  const next = pageMaxAt.getTime() - XERO_PAGE_OVERLAP_MS;
  if (ims !== null && next <= Date.parse(ims)) return { ims, page: page + 1 };
  return { ims: new Date(next).toISOString(), page: 1 };
}
