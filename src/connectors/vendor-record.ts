import { minorFromNumber, parseMinor, currencyExponent, isCurrencyCode } from '../common/money';

/**
 * A vendor record that does not have the shape the provider documents. The connector skips
 * the record and reports it in the batch details; the rest of the sync goes on.
 */
export class VendorRecordError extends Error {
  constructor(
    readonly entity: string,
    readonly recordId: string | null,
    readonly field: string,
    reason: string,
  ) {
    super(`${entity} ${recordId ?? '(no id)'}: ${field}: ${reason}`);
    this.name = 'VendorRecordError';
  }
}

export interface RejectedRecord {
  entity: string;
  id: string | null;
  reason: string;
}

/**
 * Reads fields of one untrusted JSON record, throwing `VendorRecordError` naming the field.
 * Paths are dotted (`CurrencyRef.value`).
 */
export class RecordReader {
  constructor(
    readonly entity: string,
    private readonly raw: unknown,
    readonly id: string | null = null,
  ) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw this.error('(record)', 'not an object');
  }

  /** Reader for a record whose id is read from `idField`. */
  static of(entity: string, raw: unknown, idField: string): RecordReader {
    const first = new RecordReader(entity, raw);
    const id = first.get(idField);
    if (typeof id !== 'string' && typeof id !== 'number') throw first.error(idField, 'missing id');
    return new RecordReader(entity, raw, String(id));
  }

  error(field: string, reason: string): VendorRecordError {
    return new VendorRecordError(this.entity, this.id, field, reason);
  }

  get(path: string): unknown {
    let cur: unknown = this.raw;
    for (const key of path.split('.')) {
      if (cur === null || typeof cur !== 'object') return undefined;
      cur = (cur as Record<string, unknown>)[key];
    }
    return cur;
  }

  string(path: string): string {
    const v = this.get(path);
    if (typeof v === 'number') return String(v);
    if (typeof v !== 'string' || v === '') throw this.error(path, v === undefined || v === null ? 'missing' : 'not a string');
    return v;
  }

  optString(path: string): string | null {
    const v = this.get(path);
    if (v === undefined || v === null || v === '') return null;
    if (typeof v === 'number') return String(v);
    if (typeof v !== 'string') throw this.error(path, 'not a string');
    return v;
  }

  optBoolean(path: string): boolean | null {
    const v = this.get(path);
    if (v === undefined || v === null) return null;
    if (typeof v !== 'boolean') throw this.error(path, 'not a boolean');
    return v;
  }

  /** `YYYY-MM-DD` (a longer ISO date-time is cut to its date part). */
  date(path: string): string {
    const v = this.string(path);
    if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(Date.parse(v.slice(0, 10)))) throw this.error(path, `not a date: ${JSON.stringify(v)}`);
    return v.slice(0, 10);
  }

  optDate(path: string): string | null {
    return this.get(path) === undefined || this.get(path) === null || this.get(path) === '' ? null : this.date(path);
  }

  /** An ISO 8601 date-time, kept as given (sortable comparisons use `Date.parse`). */
  dateTime(path: string): string {
    const v = this.string(path);
    if (Number.isNaN(Date.parse(v))) throw this.error(path, `not a date-time: ${JSON.stringify(v)}`);
    return v;
  }

  currency(path: string): string {
    const v = this.string(path).toUpperCase();
    if (!isCurrencyCode(v)) throw this.error(path, `not an ISO 4217 code: ${JSON.stringify(v)}`);
    return v;
  }

  /** A JSON number (or numeric string) of the currency, converted exactly to minor units. */
  minor(path: string, currency: string): bigint {
    const v = this.get(path);
    try {
      if (typeof v === 'number') return minorFromNumber(v, currency);
      if (typeof v === 'string' && v !== '') return parseMinor(v, { exponent: currencyExponent(currency), decimal: '.' });
    } catch (e) {
      throw this.error(path, e instanceof Error ? e.message : String(e));
    }
    throw this.error(path, v === undefined || v === null ? 'missing' : 'not an amount');
  }

  optMinor(path: string, currency: string): bigint | null {
    const v = this.get(path);
    return v === undefined || v === null || v === '' ? null : this.minor(path, currency);
  }

  /** An exact decimal kept as text (exchange rates). */
  optDecimal(path: string): string | null {
    const v = this.get(path);
    if (v === undefined || v === null || v === '') return null;
    const text = typeof v === 'number' ? v.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 }) : v;
    if (typeof text !== 'string' || !/^-?\d+(\.\d+)?$/.test(text)) throw this.error(path, 'not a decimal');
    return text;
  }

  array(path: string): unknown[] {
    const v = this.get(path);
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw this.error(path, 'not an array');
    return v;
  }
}

/** Maps each raw record, collecting the malformed ones instead of failing the batch. */
export function mapRecords<T>(raws: readonly unknown[], map: (raw: unknown) => T | T[] | null, rejected: RejectedRecord[]): T[] {
  const out: T[] = [];
  for (const raw of raws) {
    try {
      const r = map(raw);
      if (Array.isArray(r)) out.push(...r);
      else if (r !== null) out.push(r);
    } catch (e) {
      if (!(e instanceof VendorRecordError)) throw e;
      rejected.push({ entity: e.entity, id: e.recordId, reason: e.message });
    }
  }
  return out;
}

/**
 * The malformed records of one pull, for the run's details. The runner merges batch details
 * key by key, so every batch carries the list so far (the first 100) and the count.
 */
export class RejectionLog {
  static readonly KEEP = 100;
  private readonly kept: RejectedRecord[] = [];
  count = 0;

  add(rejected: readonly RejectedRecord[]): void {
    this.count += rejected.length;
    for (const r of rejected) if (this.kept.length < RejectionLog.KEEP) this.kept.push(r);
  }

  details(): { rejected?: RejectedRecord[]; rejectedCount?: number } {
    return this.count ? { rejected: [...this.kept], rejectedCount: this.count } : {};
  }
}
