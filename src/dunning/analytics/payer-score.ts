/** Raw behaviour of one customer over the scoring window (365 days to the as-of date). */
export interface PayerFigures {
  /** Days beyond terms, weighted by amount: paid invoices (payment date − due date, ≥ 0) and open overdue ones (as-of − due date). */
  avgDaysBeyondTerms: number;
  /** Invoices paid late or still open past due, over invoices paid or open past due. */
  lateInvoices: number;
  invoices: number;
  brokenPromises: number;
  disputes: number;
  /** Encours over credit limit, in percent (highest over the customer's currencies); null without a limit. */
  exposurePercent: number | null;
}

export type PayerSegment = 'good' | 'watch' | 'risky';

export interface ScoreComponent {
  value: number | null;
  /** Points taken off 100. */
  penalty: number;
  /** Most points this component can take off. */
  max: number;
}

export interface ScoreBreakdown {
  score: number;
  segment: PayerSegment;
  components: {
    daysBeyondTerms: ScoreComponent;
    shareLate: ScoreComponent;
    brokenPromises: ScoreComponent;
    disputes: ScoreComponent;
    exposure: ScoreComponent;
  };
}

/** Points: 35 for lateness (60 days beyond terms on average loses all), 25 for the share paid late, 20 for broken promises (10 each), 10 for disputes (5 each), 10 for exposure (from 80 % to 120 % of the credit limit). */
export const SCORE_WEIGHTS = { daysBeyondTerms: 35, shareLate: 25, brokenPromises: 20, disputes: 10, exposure: 10 } as const;

const clamp = (v: number, max: number) => Math.max(0, Math.min(max, v));

/**
 * The payer score, 0–100 (higher is better), from a customer's figures. Every penalty is
 * rounded to whole points (half up), so the components add up exactly to 100 − score.
 */
export function scorePayer(f: PayerFigures, thresholds: { goodFrom: number; watchFrom: number }): ScoreBreakdown {
  const share = f.invoices > 0 ? f.lateInvoices / f.invoices : 0;
  const components = {
    daysBeyondTerms: { value: f.avgDaysBeyondTerms, penalty: clamp(Math.round((f.avgDaysBeyondTerms * SCORE_WEIGHTS.daysBeyondTerms) / 60), 35), max: 35 },
    shareLate: { value: Math.round(share * 100) / 100, penalty: clamp(Math.round(share * SCORE_WEIGHTS.shareLate), 25), max: 25 },
    brokenPromises: { value: f.brokenPromises, penalty: clamp(f.brokenPromises * 10, 20), max: 20 },
    disputes: { value: f.disputes, penalty: clamp(f.disputes * 5, 10), max: 10 },
    exposure: {
      value: f.exposurePercent,
      penalty: f.exposurePercent === null ? 0 : clamp(Math.round(((f.exposurePercent - 80) * SCORE_WEIGHTS.exposure) / 40), 10),
      max: 10,
    },
  };
  const score = 100 - Object.values(components).reduce((a, c) => a + c.penalty, 0);
  const segment: PayerSegment = score >= thresholds.goodFrom ? 'good' : score >= thresholds.watchFrom ? 'watch' : 'risky';
  return { score, segment, components };
}
