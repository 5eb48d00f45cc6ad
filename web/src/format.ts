/**
 * Formatting for the dashboard. Amounts arrive from the API as integer minor units and are
 * formatted exactly (decimal string to Intl, never a float division).
 */
export type Lang = 'fr' | 'en';

/** The locale used for numbers and dates in each UI language. */
export const LOCALES: Record<Lang, string> = { fr: 'fr-FR', en: 'en-GB' };

const exponents = new Map<string, number>();

/** Digits after the decimal point for a currency (EUR 2, JPY 0, KWD 3). */
export function currencyExponent(currency: string): number {
  let e = exponents.get(currency);
  if (e === undefined) {
    e = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    exponents.set(currency, e);
  }
  return e;
}

/** `-1234567` minor units of EUR → `-12345.67`, exactly. */
export function minorToDecimal(minor: number | bigint | string, currency: string): string {
  const exp = currencyExponent(currency);
  const value = BigInt(minor);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(exp + 1, '0');
  const int = digits.slice(0, digits.length - exp);
  return `${negative ? '-' : ''}${int}${exp ? `.${digits.slice(digits.length - exp)}` : ''}`;
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** `12 345,67 €` (fr) or `€12,345.67` (en). */
export function formatMoney(minor: number | bigint | string | null | undefined, currency: string, lang: Lang): string {
  if (minor === null || minor === undefined || minor === '') return '—';
  const key = `${lang}:${currency}`;
  let fmt = moneyFormats.get(key);
  if (!fmt) {
    fmt = new Intl.NumberFormat(LOCALES[lang], { style: 'currency', currency });
    moneyFormats.set(key, fmt);
  }
  // Intl formats a decimal string exactly (ECMA-402 "string as exact decimal").
  return fmt.format(minorToDecimal(minor, currency) as unknown as number);
}

/** Compact axis labels for charts: `12 k€`. Display only; tooltips and tables show exact amounts. */
export function formatMoneyCompact(minor: number, currency: string, lang: Lang): string {
  return new Intl.NumberFormat(LOCALES[lang], { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 }).format(
    minorToDecimal(minor, currency) as unknown as number,
  );
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/** An accounting date `2026-01-31` → `31/01/2026` (fr and en-GB), without timezone shifts. */
export function formatDate(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  const m = ISO_DATE.exec(iso);
  if (!m) return iso;
  const at = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(LOCALES[lang], { timeZone: 'UTC', day: '2-digit', month: '2-digit', year: 'numeric' }).format(at);
}

/** An event timestamp in the viewer's timezone: `31/01/2026 14:05`. */
export function formatDateTime(iso: string | null | undefined, lang: Lang, timeZone?: string): string {
  if (!iso) return '—';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return new Intl.DateTimeFormat(LOCALES[lang], {
    timeZone,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(at);
}

/** A count of days as the API gives it (DSO may carry decimals): `42,5 j` / `42.5 days`. */
export function formatDays(days: number | string | null | undefined, lang: Lang): string {
  if (days === null || days === undefined || days === '') return '—';
  const n = new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: 1 }).format(String(days) as unknown as number);
  return lang === 'fr' ? `${n} j` : `${n} days`;
}

export function formatInteger(n: number | string | null | undefined, lang: Lang): string {
  if (n === null || n === undefined || n === '') return '—';
  return new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: 0 }).format(String(n) as unknown as number);
}

/** `2026-01` → `janv. 2026` / `Jan 2026` for chart axes. */
export function formatMonth(iso: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return new Intl.DateTimeFormat(LOCALES[lang], { timeZone: 'UTC', month: 'short', year: 'numeric' }).format(
    new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1)),
  );
}

/** The UI language from the browser's preferences: French when French comes first, else English. */
export function pickLang(preferred: readonly string[] | undefined, stored?: string | null): Lang {
  if (stored === 'fr' || stored === 'en') return stored;
  for (const tag of preferred ?? []) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'fr') return 'fr';
    if (base === 'en') return 'en';
  }
  return 'en';
}

/**
 * What a user typed (`1 234,56`, `1234.5`, `12`) → integer minor units, exactly; null when
 * it is not an amount or has more decimals than the currency allows.
 */
export function parseAmountToMinor(text: string, currency: string): number | null {
  const exp = currencyExponent(currency);
  const s = text.trim().replace(/[\s\u00a0\u202f']/g, '');
  const m = /^(-?)(\d+)(?:[.,](\d*))?$/.exec(s);
  if (!m) return null;
  const frac = m[3] ?? '';
  if (frac.length > exp) return null;
  const minor = BigInt(m[2] + frac.padEnd(exp, '0'));
  const value = m[1] === '-' ? -minor : minor;
  return value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER) ? null : Number(value);
}
