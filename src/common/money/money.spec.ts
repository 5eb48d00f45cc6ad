import {
  add,
  currencyExponent,
  divRoundHalfAwayFromZero,
  formatMinor,
  formatMoney,
  minorFromNumber,
  money,
  parseMinor,
  parseMoney,
  subtract,
  toJsonMinor,
} from '.';

describe('money', () => {
  const eur = (s: string) => parseMinor(s, { exponent: 2 });

  it.each([
    ['1 234,56', 123456n],
    ['1\u00a0234,56', 123456n],
    ['-12.30', -1230n],
    ['000000069,40', 6940n],
    ['0000000000,00', 0n],
    ['69,40-', -6940n],
    ['+000000069,40', 6940n],
    ['-000000069,40', -6940n],
    ['1.234,56', 123456n],
    ['1,234.56', 123456n],
    ['1.234.567', 123456700n],
    ['12', 1200n],
    ['12,5', 1250n],
    [',5', 50n],
    ['(12.00)', -1200n],
    ['12.300', 1230n],
    ['  7,00  ', 700n],
  ])('parses %j as %s minor units', (input, expected) => {
    expect(eur(input)).toBe(expected);
  });

  it.each([
    ['', 'empty'],
    ['abc', 'not a number'],
    ['12,345,6', 'more than one decimal separator'],
    ['12.345', 'more than 2 decimal places'],
    ['1,2,3', 'more than one decimal separator'],
    ['--12', 'not a number'],
    ['12-3', 'not a number'],
    ['1e5', 'not a number'],
  ])('rejects %j (%s)', (input, reason) => {
    expect(() => eur(input)).toThrow(reason);
  });

  it('uses the currency exponent', () => {
    expect(currencyExponent('EUR')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('KWD')).toBe(3);
    expect(parseMoney('1234', 'JPY')).toEqual({ minor: 1234n, currency: 'JPY' });
    expect(parseMoney('1,234', 'KWD')).toEqual({ minor: 1234n, currency: 'KWD' });
    expect(parseMoney('1.5', 'KWD')).toEqual({ minor: 1500n, currency: 'KWD' });
    expect(() => parseMoney('1.5', 'JPY')).toThrow('more than 0 decimal places');
    expect(() => currencyExponent('eur')).toThrow('not an ISO 4217 currency code');
  });

  it('honours a fixed decimal separator', () => {
    expect(parseMinor('1.234', { exponent: 2, decimal: ',' })).toBe(123400n);
    expect(parseMinor('1,234.50', { exponent: 2, decimal: '.' })).toBe(123450n);
  });

  it('converts vendor JSON numbers without float drift', () => {
    expect(minorFromNumber(69.4, 'EUR')).toBe(6940n);
    expect(minorFromNumber(0.3, 'EUR')).toBe(30n);
    expect(() => minorFromNumber(0.1 + 0.2, 'EUR')).toThrow('more than 2 decimal places');
    expect(minorFromNumber(1234567.89, 'EUR')).toBe(123456789n);
    expect(minorFromNumber(-5, 'JPY')).toBe(-5n);
    expect(() => minorFromNumber(1.005, 'EUR')).toThrow('more than 2 decimal places');
  });

  it('formats', () => {
    expect(formatMinor(123456n, 'EUR')).toBe('1234.56');
    expect(formatMinor(-5n, 'EUR')).toBe('-0.05');
    expect(formatMinor(1234n, 'JPY')).toBe('1234');
    expect(formatMinor(1n, 'KWD')).toBe('0.001');
    expect(formatMoney(money(1234567n, 'EUR'), 'fr-FR').replace(/\s/g, ' ')).toBe('12 345,67 €');
    expect(formatMoney(money(1234567n, 'EUR'), 'en-GB')).toBe('€12,345.67');
  });

  it('adds and subtracts within one currency only', () => {
    expect(add(money(150n, 'EUR'), money(-50n, 'EUR'))).toEqual({ minor: 100n, currency: 'EUR' });
    expect(subtract(money(150n, 'EUR'), money(200n, 'EUR')).minor).toBe(-50n);
    expect(() => add(money(1n, 'EUR'), money(1n, 'GBP'))).toThrow('cannot combine EUR and GBP');
  });

  it('rounds half away from zero', () => {
    expect(divRoundHalfAwayFromZero(5n, 2n)).toBe(3n);
    expect(divRoundHalfAwayFromZero(-5n, 2n)).toBe(-3n);
    expect(divRoundHalfAwayFromZero(4n, 3n)).toBe(1n);
    expect(divRoundHalfAwayFromZero(-4n, 3n)).toBe(-1n);
    expect(() => divRoundHalfAwayFromZero(1n, 0n)).toThrow('division by zero');
  });

  it('refuses unsafe JSON numbers', () => {
    expect(toJsonMinor(12n)).toBe(12);
    expect(() => toJsonMinor(2n ** 60n)).toThrow('JSON-safe');
  });
});
