import { MoneyParseError, parseMinor } from '../../common/money';

/** Field-level parse failure; the caller adds file, line and field name. */
export class FecFieldError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'FecFieldError';
  }
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function checkedIso(y: number, m: number, d: number, raw: string): string {
  if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > (m === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[m - 1])) {
    throw new FecFieldError(`not a valid date: ${JSON.stringify(raw)}`);
  }
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * A FEC date: `AAAAMMJJ` (the norm), or the ISO `AAAA-MM-JJ` of the XML layout (optionally
 * with a time), or `JJ/MM/AAAA` that some exports write. Returns `YYYY-MM-DD`.
 */
export function parseFecDate(raw: string): string {
  const s = raw.trim();
  let m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return checkedIso(+m[1], +m[2], +m[3], raw);
  m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(s);
  if (m) return checkedIso(+m[1], +m[2], +m[3], raw);
  m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(s);
  if (m) return checkedIso(+m[3], +m[2], +m[1], raw);
  throw new FecFieldError(`not a date (expected AAAAMMJJ): ${JSON.stringify(raw)}`);
}

/** Like parseFecDate, but empty means "no date". */
export function parseOptionalFecDate(raw: string): string | null {
  return raw.trim() === '' ? null : parseFecDate(raw);
}

/**
 * A FEC amount in minor units: decimal comma or point, zero-padded, sign first or last
 * (`+000000069,40`, `69,40-`); empty = 0. Exact: never through a float.
 */
export function parseFecAmount(raw: string, exponent: number): bigint {
  const s = raw.trim();
  if (s === '') return 0n;
  try {
    return parseMinor(s, { exponent, decimal: 'auto' });
  } catch (e) {
    if (e instanceof MoneyParseError) throw new FecFieldError(`not an amount: ${JSON.stringify(raw)}`);
    throw e;
  }
}

/** `Sens`: `D`/`C` (any case, also `Débit`/`Crédit`), or `+1`/`-1`, `1`/`-1`. Returns +1 for debit. */
export function parseSens(raw: string): 1 | -1 {
  const s = raw.trim().toUpperCase();
  if (s === 'D' || s === '+1' || s === '1' || s === '+' || s.startsWith('DEB') || s.startsWith('DÉB')) return 1;
  if (s === 'C' || s === '-1' || s === '-' || s.startsWith('CRE') || s.startsWith('CRÉ')) return -1;
  throw new FecFieldError(`not a direction (expected D or C, +1 or -1): ${JSON.stringify(raw)}`);
}
