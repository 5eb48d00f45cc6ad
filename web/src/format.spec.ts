import { formatDate, formatDateTime, formatDays, formatMoney, formatMonth, minorToDecimal, parseAmountToMinor, pickLang } from './format';

/** Intl uses narrow no-break spaces in French; compare with plain spaces. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('dashboard formatting', () => {
  it('formats minor units exactly in French and English', () => {
    expect(plain(formatMoney(1234567, 'EUR', 'fr'))).toBe('12 345,67 €');
    expect(formatMoney(1234567, 'EUR', 'en')).toBe('€12,345.67');
    expect(plain(formatMoney(-4000, 'EUR', 'fr'))).toBe('-40,00 €');
    expect(plain(formatMoney(0, 'EUR', 'fr'))).toBe('0,00 €');
    expect(formatMoney(7, 'GBP', 'en')).toBe('£0.07');
    expect(plain(formatMoney(1500, 'JPY', 'fr'))).toBe('1 500 JPY');
    expect(formatMoney(null, 'EUR', 'fr')).toBe('—');
  });

  it('keeps every cent of amounts beyond float precision', () => {
    expect(minorToDecimal(900719925474099, 'EUR')).toBe('9007199254740.99');
    expect(plain(formatMoney('900719925474099', 'EUR', 'fr'))).toBe('9 007 199 254 740,99 €');
    expect(minorToDecimal(-5, 'EUR')).toBe('-0.05');
    expect(minorToDecimal(1234, 'KWD')).toBe('1.234');
  });

  it('formats accounting dates without timezone shifts', () => {
    expect(formatDate('2026-01-31', 'fr')).toBe('31/01/2026');
    expect(formatDate('2026-01-31', 'en')).toBe('31/01/2026');
    expect(formatDate('2026-12-01T00:00:00.000Z', 'fr')).toBe('01/12/2026');
    expect(formatDate(null, 'fr')).toBe('—');
    expect(formatDateTime('2026-01-31T14:05:00Z', 'fr', 'UTC')).toBe('31/01/2026 14:05');
    expect(formatMonth('2026-02', 'en')).toBe('Feb 2026');
  });

  it('formats days with the locale decimal separator', () => {
    expect(formatDays(42.5, 'fr')).toBe('42,5 j');
    expect(formatDays('38', 'en')).toBe('38 days');
    expect(formatDays(null, 'en')).toBe('—');
  });

  it('parses typed amounts to minor units exactly or refuses them', () => {
    expect(parseAmountToMinor('1 234,56', 'EUR')).toBe(123456);
    expect(parseAmountToMinor('1234.5', 'EUR')).toBe(123450);
    expect(parseAmountToMinor('12', 'EUR')).toBe(1200);
    expect(parseAmountToMinor('0,1', 'EUR')).toBe(10);
    expect(parseAmountToMinor('1,234', 'EUR')).toBeNull();
    expect(parseAmountToMinor('12abc', 'EUR')).toBeNull();
    expect(parseAmountToMinor('', 'EUR')).toBeNull();
    expect(parseAmountToMinor('150', 'JPY')).toBe(150);
  });

  it('picks the language from the browser, a stored choice winning', () => {
    expect(pickLang(['fr-FR', 'en-US'])).toBe('fr');
    expect(pickLang(['de-DE', 'en-GB', 'fr'])).toBe('en');
    expect(pickLang(['de-DE'])).toBe('en');
    expect(pickLang(['en-US'], 'fr')).toBe('fr');
    expect(pickLang(undefined)).toBe('en');
  });
});
