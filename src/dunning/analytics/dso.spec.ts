import { computeDso, DsoInputs } from './dso';

const base: DsoInputs = {
  receivables: 0n, currentReceivables: 0n, periodSales: 0n, monthSales: [], monthDays: [],
  paid: 0n, paidDays: 0n, previousPaid: 0n, previousPaidDays: 0n,
};

describe('DSO', () => {
  it('computes simple, best possible and delinquent days', () => {
    // 1 500.00 receivable, 500.00 of it not due, 3 000.00 of sales over 90 days:
    // 1 500 / 3 000 × 90 = 45.0; 500 / 3 000 × 90 = 15.0; 45 − 15 = 30.0.
    const f = computeDso({ ...base, receivables: 150000n, currentReceivables: 50000n, periodSales: 300000n }, 90);
    expect([f.dso, f.bestPossibleDso, f.averageDaysDelinquent]).toEqual([45, 15, 30]);
  });

  it('counts back through monthly sales', () => {
    // 1 500.00 receivable; March (31 d) 1 000.00, February (28 d) 1 000.00: 31 + 500/1 000 × 28 = 45.0.
    const f = computeDso({ ...base, receivables: 150000n, monthSales: [100000n, 100000n, 100000n], monthDays: [31, 28, 31] }, 90);
    expect(f.countbackDso).toBe(45);
    // A month without sales counts whole.
    expect(computeDso({ ...base, receivables: 50000n, monthSales: [0n, 100000n], monthDays: [30, 31] }, 61).countbackDso).toBe(45.5);
    expect(computeDso({ ...base, receivables: -100n, monthSales: [100n], monthDays: [30] }, 30).countbackDso).toBe(0);
  });

  it('averages days to pay weighted by amount, with the trend', () => {
    // 100.00 paid after 10 days and 300.00 after 30: (1 000 + 9 000) / 400 = 25.0; before: 20.0.
    const f = computeDso({ ...base, paid: 40000n, paidDays: 10000n * 10n + 30000n * 30n, previousPaid: 10000n, previousPaidDays: 200000n }, 90);
    expect([f.averageDaysToPay, f.previousAverageDaysToPay, f.trendDays]).toEqual([25, 20, 5]);
  });

  it('answers null without sales or payments', () => {
    expect(computeDso({ ...base, receivables: 100n }, 90)).toEqual({
      dso: null, countbackDso: null, bestPossibleDso: null, averageDaysDelinquent: null, averageDaysToPay: null, previousAverageDaysToPay: null, trendDays: null,
    });
  });
});
