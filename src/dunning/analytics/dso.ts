import { divRoundHalfAwayFromZero } from '../../common/money';

/** Sums (minor units of one currency) behind the DSO figures of a customer or a tenant. */
export interface DsoInputs {
  receivables: bigint;
  /** Open invoices not yet due at the period end. */
  currentReceivables: bigint;
  periodSales: bigint;
  /** Credit sales of each month walking back from the period end (most recent first) and the days in each. */
  monthSales: bigint[];
  monthDays: number[];
  /** Σ allocated amount and Σ amount × days from issue to payment, this period and the previous one. */
  paid: bigint;
  paidDays: bigint;
  previousPaid: bigint;
  previousPaidDays: bigint;
}

export interface DsoFigures {
  /** Receivables / credit sales × days in the period. */
  dso: number | null;
  /** Days of the most recent months' sales it takes to account for the receivables. */
  countbackDso: number | null;
  /** Current (not yet due) receivables / credit sales × days. */
  bestPossibleDso: number | null;
  /** DSO − best possible DSO. */
  averageDaysDelinquent: number | null;
  /** Days from issue to payment, weighted by amount paid, over the period. */
  averageDaysToPay: number | null;
  previousAverageDaysToPay: number | null;
  /** averageDaysToPay − previousAverageDaysToPay: positive means paying slower. */
  trendDays: number | null;
}

/** Tenths of a day, rounded half away from zero, exactly on bigint. */
const tenths = (numerator: bigint, denominator: bigint) => divRoundHalfAwayFromZero(numerator * 10n, denominator);
const days = (t: bigint | null) => (t === null ? null : Number(t) / 10);

/** DSO figures to a tenth of a day; null where the period has no credit sales or no payment. */
export function computeDso(x: DsoInputs, periodDays: number): DsoFigures {
  const d = BigInt(periodDays);
  const hasSales = x.periodSales > 0n;
  const dso = hasSales ? tenths(x.receivables * d, x.periodSales) : null;
  const best = hasSales ? tenths(x.currentReceivables * d, x.periodSales) : null;
  let countback: bigint | null = null;
  if (x.receivables <= 0n) countback = 0n;
  else if (x.monthSales.some((s) => s > 0n)) {
    countback = 0n;
    let left = x.receivables;
    for (let i = 0; i < x.monthSales.length && left > 0n; i++) {
      const sales = x.monthSales[i];
      const md = BigInt(x.monthDays[i]);
      if (sales > 0n && left <= sales) {
        countback += tenths(left * md, sales);
        left = 0n;
      } else {
        countback += md * 10n;
        if (sales > 0n) left -= sales;
      }
    }
  }
  const avg = x.paid > 0n ? tenths(x.paidDays, x.paid) : null;
  const prev = x.previousPaid > 0n ? tenths(x.previousPaidDays, x.previousPaid) : null;
  return {
    dso: days(dso),
    countbackDso: days(countback),
    bestPossibleDso: days(best),
    averageDaysDelinquent: dso !== null && best !== null ? days(dso - best) : null,
    averageDaysToPay: days(avg),
    previousAverageDaysToPay: days(prev),
    trendDays: avg !== null && prev !== null ? days(avg - prev) : null,
  };
}
