import { PenaltyCalculator, PenaltyRateMissingError } from './penalty-calculator';
import { loadPenaltyRates } from './penalty-rates';

describe('PenaltyCalculator (worked examples, exact to the cent)', () => {
  const calc = new PenaltyCalculator(loadPenaltyRates());

  it('France: ECB rate of each half-year + 10 points, split at 1 July, plus 40 EUR', () => {
    // 10 000,00 EUR due 2025-05-31, paid/assessed 2025-08-09: 70 days late.
    // 30 days (June) at 3,15 + 10 = 13,15 % → 108,0822 ; 40 days (from 1 July) at 2,15 + 10 = 12,15 % → 133,1507
    // total 241,2329 → 241,23 EUR
    const r = calc.compute('FR', { amountMinor: 1_000_000n, currency: 'EUR', dueDate: '2025-05-31', asOf: '2025-08-09' });
    expect(r.daysLate).toBe(70);
    expect(r.periods).toEqual([
      { from: '2025-06-01', to: '2025-06-30', days: 30, rateBp: 1315 },
      { from: '2025-07-01', to: '2025-08-09', days: 40, rateBp: 1215 },
    ]);
    expect(r.interestMinor).toBe(24_123n);
    expect(r.indemnityMinor).toBe(4_000n);
    expect(r.totalMinor).toBe(28_123n);
  });

  it('France: one day late on 1 234,56 EUR in 2026 H1 = 0,41 EUR interest', () => {
    // 123456 × 1215 × 1 / 3 650 000 = 41,09... → 41
    const r = calc.compute('FR', { amountMinor: 123_456n, currency: 'EUR', dueDate: '2026-01-14', asOf: '2026-01-15' });
    expect(r).toMatchObject({ daysLate: 1, interestMinor: 41n, indemnityMinor: 4_000n, totalMinor: 4_041n });
  });

  it('rounds once, half away from zero (contractual rate 10 %)', () => {
    // 18,25 EUR × 10 % × 1/365 = 0,005 EUR exactly → 0,01 EUR
    const r = calc.compute('FR', { amountMinor: 1_825n, currency: 'EUR', dueDate: '2025-03-01', asOf: '2025-03-02', contractualRateBp: 1000 });
    expect(r.interestMinor).toBe(1n);
    // 18,24 EUR → 0,004997 → 0,00
    expect(calc.compute('FR', { amountMinor: 1_824n, currency: 'EUR', dueDate: '2025-03-01', asOf: '2025-03-02', contractualRateBp: 1000 }).interestMinor).toBe(0n);
  });

  it('nothing before or on the due date', () => {
    const r = calc.compute('FR', { amountMinor: 500_000n, currency: 'EUR', dueDate: '2026-01-31', asOf: '2026-01-31' });
    expect(r).toMatchObject({ daysLate: 0, periods: [], interestMinor: 0n, indemnityMinor: 0n, totalMinor: 0n });
  });

  it('Germany: Basiszinssatz + 9 points across 1 January, plus 40 EUR', () => {
    // 5 000,00 EUR due 2024-12-15, as of 2025-01-14: 16 days at 3,37 + 9 = 12,37 % and 14 days at 2,27 + 9 = 11,27 %
    // 27,1123 + 21,6137 = 48,7260 → 48,73 EUR
    const r = calc.compute('DE', { amountMinor: 500_000n, currency: 'EUR', dueDate: '2024-12-15', asOf: '2025-01-14' });
    expect(r.periods.map((p) => [p.days, p.rateBp])).toEqual([[16, 1237], [14, 1127]]);
    expect(r.interestMinor).toBe(4_873n);
    expect(r.indemnityMinor).toBe(4_000n);
  });

  it('UK: base rate + 8 points, fixed sum by amount', () => {
    // 12 500,00 GBP, 30 days at 4,75 + 8 = 12,75 % → 130,9931 → 130,99 GBP; fixed sum 100 GBP
    const r = calc.compute('UK', { amountMinor: 1_250_000n, currency: 'GBP', dueDate: '2025-03-31', asOf: '2025-04-30' });
    expect(r).toMatchObject({ daysLate: 30, interestMinor: 13_099n, indemnityMinor: 10_000n, totalMinor: 23_099n });
    const fixed = (minor: bigint) => calc.compute('UK', { amountMinor: minor, currency: 'GBP', dueDate: '2025-03-31', asOf: '2025-04-01' }).indemnityMinor;
    expect([fixed(99_999n), fixed(100_000n), fixed(999_999n), fixed(1_000_000n)]).toEqual([4_000n, 7_000n, 7_000n, 10_000n]);
  });

  it('2026 first half: Germany 1,27 + 9 points, UK 3,75 + 8 points', () => {
    // 5 000,00 EUR, 30 days at 10,27 %: 42,2055 → 42,21 EUR
    const de = calc.compute('DE', { amountMinor: 500_000n, currency: 'EUR', dueDate: '2025-12-15', asOf: '2026-01-14' });
    expect(de.periods.every((p) => p.rateBp === 1027)).toBe(true);
    expect(de.interestMinor).toBe(4_221n);
    // 12 500,00 GBP, 30 days at 11,75 %: 120,7192 → 120,72 GBP
    const uk = calc.compute('UK', { amountMinor: 1_250_000n, currency: 'GBP', dueDate: '2026-01-31', asOf: '2026-03-02' });
    expect(uk).toMatchObject({ daysLate: 30, interestMinor: 12_072n, indemnityMinor: 10_000n });
  });

  it('refuses a period the rate table does not cover yet', () => {
    expect(() => calc.compute('FR', { amountMinor: 100n, currency: 'EUR', dueDate: '2026-06-20', asOf: '2026-07-05' })).toThrow(PenaltyRateMissingError);
    expect(() => calc.compute('DE', { amountMinor: 100n, currency: 'EUR', dueDate: '2022-06-20', asOf: '2022-07-05' })).toThrow('no DE reference rate covers 2022-06-21');
  });
});
