import { currencyExponent } from './currency';

/** An amount in integer minor units of an ISO 4217 currency. Never a float. */
export interface Money {
  readonly minor: bigint;
  readonly currency: string;
}

export class MoneyParseError extends Error {
  constructor(readonly input: string, reason: string) {
    super(`invalid amount ${JSON.stringify(input)}: ${reason}`);
    this.name = 'MoneyParseError';
  }
}

export class CurrencyMismatchError extends Error {
  constructor(a: string, b: string) {
    super(`cannot combine ${a} and ${b} amounts`);
    this.name = 'CurrencyMismatchError';
  }
}

export interface ParseOptions {
  /** Digits after the decimal separator the result is expressed in (the currency exponent). */
  exponent: number;
  /**
   * Which character is the decimal separator. `auto` (default) accepts both `,` and `.`:
   * when both appear, the last one is the decimal separator and the other a thousands
   * separator; when only one appears it is decimal unless it is followed by exactly
   * three digits and appears more than once.
   */
  decimal?: 'auto' | ',' | '.';
}

const SPACES = /[\s\u00a0\u202f']/g;

/**
 * Parses a decimal string into minor units exactly: `1 234,56`, `-12.30`, `000000069,40`,
 * `69,40-`, `+000000069,40`, `(12.00)`. More fraction digits than the exponent allows are
 * accepted only when the extra digits are zeros; anything else is an error, never rounded.
 */
export function parseMinor(input: string, opts: ParseOptions): bigint {
  const raw = input;
  let s = input.trim().replace(SPACES, '');
  if (s === '') throw new MoneyParseError(raw, 'empty');
  let negative = false;
  if (s.startsWith('(') && s.endsWith(')')) {
    negative = true;
    s = s.slice(1, -1);
  }
  const lead = s[0];
  const trail = s[s.length - 1];
  if (lead === '-' || lead === '+') {
    negative = negative !== (lead === '-');
    s = s.slice(1);
  } else if (trail === '-' || trail === '+') {
    negative = negative !== (trail === '-');
    s = s.slice(0, -1);
  }
  if (!/^[0-9.,]+$/.test(s) || !/[0-9]/.test(s)) throw new MoneyParseError(raw, 'not a number');

  const decimalSep = pickDecimalSeparator(s, opts.decimal ?? 'auto', raw);
  let intPart = s;
  let fracPart = '';
  if (decimalSep) {
    const at = s.lastIndexOf(decimalSep);
    intPart = s.slice(0, at);
    fracPart = s.slice(at + 1);
    if (fracPart.includes(',') || fracPart.includes('.')) throw new MoneyParseError(raw, 'misplaced separator');
  }
  const mode = opts.decimal ?? 'auto';
  const groupSep =
    decimalSep === ',' ? '.' : decimalSep === '.' ? ',' : mode === ',' ? '.' : mode === '.' ? ',' : s.includes('.') ? '.' : ',';
  if (intPart.includes(groupSep)) {
    if (!/^\d{1,3}(\.\d{3})*$|^\d{1,3}(,\d{3})*$/.test(intPart)) throw new MoneyParseError(raw, 'bad digit grouping');
    intPart = intPart.split(groupSep).join('');
  }
  if (intPart === '') intPart = '0';
  if (!/^\d+$/.test(intPart) || !/^\d*$/.test(fracPart)) throw new MoneyParseError(raw, 'not a number');
  if (fracPart.length > opts.exponent) {
    const extra = fracPart.slice(opts.exponent);
    if (/[^0]/.test(extra)) {
      throw new MoneyParseError(raw, `more than ${opts.exponent} decimal places`);
    }
    fracPart = fracPart.slice(0, opts.exponent);
  }
  const minor = BigInt(intPart + fracPart.padEnd(opts.exponent, '0'));
  return negative ? -minor : minor;
}

function pickDecimalSeparator(s: string, mode: 'auto' | ',' | '.', raw: string): ',' | '.' | null {
  const hasComma = s.includes(',');
  const hasDot = s.includes('.');
  if (mode !== 'auto') {
    return s.includes(mode) ? mode : null;
  }
  if (hasComma && hasDot) return s.lastIndexOf(',') > s.lastIndexOf('.') ? ',' : '.';
  const sep = hasComma ? ',' : hasDot ? '.' : null;
  if (!sep) return null;
  const count = s.split(sep).length - 1;
  if (count > 1) {
    // `1.234.567` or `1,234,567`: grouping only, no decimals.
    if (!/^\d{1,3}([.,]\d{3})+$/.test(s)) throw new MoneyParseError(raw, 'more than one decimal separator');
    return null;
  }
  return sep;
}

/** Parses an amount in a currency's own exponent. */
export function parseMoney(input: string, currency: string, decimal: ParseOptions['decimal'] = 'auto'): Money {
  return { minor: parseMinor(input, { exponent: currencyExponent(currency), decimal }), currency };
}

/** Converts a JSON number from a vendor API (e.g. 69.4) to minor units via its shortest decimal form. */
export function minorFromNumber(value: number, currency: string): bigint {
  if (!Number.isFinite(value)) throw new MoneyParseError(String(value), 'not a finite number');
  const text = value.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
  return parseMinor(text, { exponent: currencyExponent(currency), decimal: '.' });
}

/** `1234.56`-style plain decimal string, for CSV and machine output. */
export function formatMinor(minor: bigint, currency: string): string {
  const exp = currencyExponent(currency);
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(exp + 1, '0');
  const int = digits.slice(0, digits.length - exp);
  const frac = exp ? `.${digits.slice(digits.length - exp)}` : '';
  return `${negative ? '-' : ''}${int}${frac}`;
}

/** Human format for a locale, e.g. `12 345,67 €` in fr-FR, without going through a float. */
export function formatMoney(money: Money, locale = 'en-GB'): string {
  const fmt = new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency });
  // Intl accepts decimal strings exactly (ES2023 "string as exact decimal").
  return fmt.format(formatMinor(money.minor, money.currency) as unknown as number);
}

export function money(minor: bigint | number, currency: string): Money {
  currencyExponent(currency);
  return { minor: BigInt(minor), currency };
}

export function add(a: Money, b: Money): Money {
  if (a.currency !== b.currency) throw new CurrencyMismatchError(a.currency, b.currency);
  return { minor: a.minor + b.minor, currency: a.currency };
}

export function subtract(a: Money, b: Money): Money {
  if (a.currency !== b.currency) throw new CurrencyMismatchError(a.currency, b.currency);
  return { minor: a.minor - b.minor, currency: a.currency };
}

export function sum(items: readonly Money[], currency: string): Money {
  return items.reduce((acc, m) => add(acc, m), money(0n, currency));
}

/**
 * Integer division rounding half away from zero — the rule used wherever an amount is
 * derived by a rate (penalties, pro-rata). Exact on bigint, no float involved.
 */
export function divRoundHalfAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (2n * n + d) / (2n * d);
  return negative ? -q : q;
}

/** A JSON-safe number for a minor-unit amount (throws beyond 2^53, which no real ledger reaches). */
export function toJsonMinor(minor: bigint): number {
  if (minor > BigInt(Number.MAX_SAFE_INTEGER) || minor < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`amount ${minor} exceeds the JSON-safe range`);
  }
  return Number(minor);
}
