/**
 * Xero's JSON dates: `/Date(1552521600000+0000)/` (epoch milliseconds, then the offset of the
 * organisation's local time) or ISO strings (`2019-03-05T00:00:00`, `2019-03-05T18:59:06Z`).
 */
const MS_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;

/** The instant a Xero date-time denotes, or null when the text is not one. */
export function parseXeroInstant(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const m = MS_DATE.exec(value.trim());
  if (m) return new Date(Number(m[1]));
  // ISO without a zone: Xero's `...UTC` fields and `DateString`s are UTC.
  const iso = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value) ? `${value}Z` : value;
  const t = Date.parse(iso);
  return Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}/.test(value) ? null : new Date(t);
}

/**
 * An accounting date (`YYYY-MM-DD`): the calendar day in the organisation's time, i.e. the
 * epoch shifted by the given offset (Xero sends midnight of the day), or the ISO date part.
 */
export function parseXeroDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = MS_DATE.exec(value.trim());
  if (m) {
    const offset = m[2] ? (m[2][0] === '-' ? -1 : 1) * (Number(m[2].slice(1, 3)) * 60 + Number(m[2].slice(3))) * 60_000 : 0;
    return new Date(Number(m[1]) + offset).toISOString().slice(0, 10);
  }
  if (/^\d{4}-\d{2}-\d{2}(T.*)?$/.test(value) && !Number.isNaN(Date.parse(value.slice(0, 10)))) return value.slice(0, 10);
  return null;
}

/** `If-Modified-Since` value: ISO 8601 in UTC with milliseconds, as the API documents. */
export function toIfModifiedSince(at: Date): string {
  return at.toISOString();
}
