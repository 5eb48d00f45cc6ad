import { scorePayer } from './payer-score';

const t = { goodFrom: 70, watchFrom: 40 };
const clean = { avgDaysBeyondTerms: 0, lateInvoices: 0, invoices: 0, brokenPromises: 0, disputes: 0, exposurePercent: null };

describe('payer score', () => {
  it('gives 100 to a customer without any late payment', () => {
    expect(scorePayer(clean, t)).toEqual({
      score: 100,
      segment: 'good',
      components: {
        daysBeyondTerms: { value: 0, penalty: 0, max: 35 },
        shareLate: { value: 0, penalty: 0, max: 25 },
        brokenPromises: { value: 0, penalty: 0, max: 20 },
        disputes: { value: 0, penalty: 0, max: 10 },
        exposure: { value: null, penalty: 0, max: 10 },
      },
    });
  });

  it('takes points off for each component', () => {
    // 24 days late on average: 24 × 35 / 60 = 14; 2 of 4 late: 12.5 → 13; 1 broken promise: 10;
    // 1 dispute: 5; 110 % of the limit: (110 − 80) × 10 / 40 = 7.5 → 8. 100 − 50 = 50: watch.
    const s = scorePayer({ avgDaysBeyondTerms: 24, lateInvoices: 2, invoices: 4, brokenPromises: 1, disputes: 1, exposurePercent: 110 }, t);
    expect(s.score).toBe(50);
    expect(s.segment).toBe('watch');
    expect(Object.values(s.components).map((c) => c.penalty)).toEqual([14, 13, 10, 5, 8]);
  });

  it('caps each component and segments risky payers', () => {
    const s = scorePayer({ avgDaysBeyondTerms: 200, lateInvoices: 3, invoices: 3, brokenPromises: 5, disputes: 4, exposurePercent: 300 }, t);
    expect(s.score).toBe(0);
    expect(s.segment).toBe('risky');
    expect(scorePayer({ ...clean, exposurePercent: 50 }, t).components.exposure).toEqual({ value: 50, penalty: 0, max: 10 });
    expect(scorePayer({ ...clean, brokenPromises: 3 }, { goodFrom: 90, watchFrom: 40 }).segment).toBe('watch');
  });
});
