import { RecordReader } from '../vendor-record';
import { parseXeroDate, parseXeroInstant } from './xero-dates';

/** Reads one Xero record: the shared reader plus Xero's `/Date(…)/` dates. */
export class XeroRecord extends RecordReader {
  static read(entity: string, raw: unknown, idField: string): XeroRecord {
    const base = RecordReader.of(entity, raw, idField);
    return new XeroRecord(entity, raw, base.id);
  }

  /** The same raw value read as a nested record (e.g. an allocation of a credit note). */
  nested(entity: string, raw: unknown, id: string | null): XeroRecord {
    return new XeroRecord(entity, raw, id);
  }

  xeroDate(path: string): string {
    const v = this.get(path);
    const d = parseXeroDate(v);
    if (!d) throw this.error(path, v === undefined || v === null ? 'missing' : `not a date: ${JSON.stringify(v)}`);
    return d;
  }

  optXeroDate(path: string): string | null {
    const v = this.get(path);
    return v === undefined || v === null || v === '' ? null : this.xeroDate(path);
  }

  xeroInstant(path: string): Date {
    const v = this.get(path);
    const d = parseXeroInstant(v);
    if (!d) throw this.error(path, v === undefined || v === null ? 'missing' : `not a date-time: ${JSON.stringify(v)}`);
    return d;
  }
}

/** `UpdatedDateUTC` of a raw record, when readable (paging must not depend on the record being valid). */
export function updatedAtOf(raw: unknown): Date | null {
  if (raw === null || typeof raw !== 'object') return null;
  return parseXeroInstant((raw as Record<string, unknown>).UpdatedDateUTC);
}
