import { monthEnds } from './month-ends';

describe('monthEnds', () => {
  it('lists the previous month ends and the as-of date, across a year and a leap February', () => {
    expect(monthEnds('2024-03-15', 4)).toEqual(['2023-12-31', '2024-01-31', '2024-02-29', '2024-03-15']);
    expect(monthEnds('2026-01-15', 12)).toEqual([
      '2025-02-28', '2025-03-31', '2025-04-30', '2025-05-31', '2025-06-30', '2025-07-31',
      '2025-08-31', '2025-09-30', '2025-10-31', '2025-11-30', '2025-12-31', '2026-01-15',
    ]);
    expect(monthEnds('2026-01-15', 1)).toEqual(['2026-01-15']);
  });
});
