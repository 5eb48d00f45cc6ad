import { divRoundHalfAwayFromZero } from '../../common/money';
import { DomainError } from '../../common/errors';
import type { Jurisdiction, JurisdictionTable, PenaltyRateTables, ReferenceRate } from './penalty-rates';

export class PenaltyRateMissingError extends DomainError {
  readonly status = 422;
  override readonly title = 'Penalty rate unavailable';

  constructor(readonly jurisdiction: Jurisdiction, readonly date: string) {
    super(`no ${jurisdiction} reference rate covers ${date}: add it to config/penalty-rates.json`);
  }
}

export interface PenaltyInput {
  /** Amount late (outstanding), minor units. */
  amountMinor: bigint;
  currency: string;
  /** YYYY-MM-DD */
  dueDate: string;
  /** YYYY-MM-DD: interest accrues up to and including this day. */
  asOf: string;
  /** Contractual annual rate in basis points, if the contract sets one (France). */
  contractualRateBp?: number | null;
}

export interface InterestPeriod {
  from: string;
  to: string;
  days: number;
  rateBp: number;
}

export interface PenaltyResult {
  jurisdiction: Jurisdiction;
  daysLate: number;
  periods: InterestPeriod[];
  interestMinor: bigint;
  indemnityMinor: bigint;
  totalMinor: bigint;
  currency: string;
}

const DAY = 86_400_000;
const days = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY);
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

/**
 * Statutory late-payment interest and fixed indemnity.
 *
 * Interest = Σ over rate periods (amount × annual rate × days in period / 365), from the
 * day after the due date to `asOf` inclusive. Periods follow the reference-rate table
 * (France and Germany: half-years from 1 January and 1 July). A 365-day year is used in
 * every year, leap or not, as Code de commerce practice and the UK Act do.
 *
 * Rounding rule: the exact sum is computed as one fraction in integers and rounded once,
 * half away from zero, to the currency's minor unit (`divRoundHalfAwayFromZero`). Nothing
 * is rounded per period or per day.
 */
export class PenaltyCalculator {
  constructor(private readonly tables: PenaltyRateTables) {}

  table(j: Jurisdiction): JurisdictionTable {
    return this.tables[j];
  }

  compute(j: Jurisdiction, input: PenaltyInput): PenaltyResult {
    const table = this.tables[j];
    const daysLate = Math.max(0, days(input.dueDate, input.asOf));
    const periods: InterestPeriod[] = [];
    if (daysLate > 0 && input.amountMinor > 0n) {
      let from = addDays(input.dueDate, 1);
      while (from <= input.asOf) {
        const { rate, next } = this.rateAt(j, table.referenceRates, from);
        const end = next && addDays(next, -1) < input.asOf ? addDays(next, -1) : input.asOf;
        let rateBp = rate.rateBp + table.marginBp;
        if (input.contractualRateBp != null) rateBp = this.contractual(j, table, from, input.contractualRateBp);
        periods.push({ from, to: end, days: days(from, end) + 1, rateBp });
        from = addDays(end, 1);
      }
    }
    // amount × bp × days / (10 000 × 365), summed exactly then rounded once.
    const numerator = periods.reduce((acc, p) => acc + input.amountMinor * BigInt(p.rateBp) * BigInt(p.days), 0n);
    const interestMinor = divRoundHalfAwayFromZero(numerator, 3_650_000n);
    const indemnityMinor = daysLate > 0 ? this.indemnity(table, input.amountMinor, input.currency) : 0n;
    return { jurisdiction: j, daysLate, periods, interestMinor, indemnityMinor, totalMinor: interestMinor + indemnityMinor, currency: input.currency };
  }

  /** Fixed recovery indemnity for one late invoice, in the invoice currency (0 when the table has none for it). */
  private indemnity(table: JurisdictionTable, amountMinor: bigint, currency: string): bigint {
    const bands = table.indemnity.filter((b) => b.currency === currency && amountMinor >= BigInt(b.fromMinor));
    if (!bands.length) return 0n;
    return BigInt(bands.reduce((best, b) => (b.fromMinor >= best.fromMinor ? b : best)).amountMinor);
  }

  /** The contractual rate, raised to the floor of 3 × the legal interest rate when the table knows it. */
  private contractual(j: Jurisdiction, table: JurisdictionTable, date: string, rateBp: number): number {
    if (j !== 'FR' || !table.legalInterestRates.length) return rateBp;
    const legal = table.legalInterestRates.filter((r) => r.effectiveFrom <= date).pop();
    return legal ? Math.max(rateBp, 3 * legal.rateBp) : rateBp;
  }

  private rateAt(j: Jurisdiction, rates: ReferenceRate[], date: string): { rate: ReferenceRate; next: string | null } {
    let idx = -1;
    for (let i = 0; i < rates.length; i++) if (rates[i].effectiveFrom <= date) idx = i;
    if (idx < 0) throw new PenaltyRateMissingError(j, date);
    const next = rates[idx + 1]?.effectiveFrom ?? null;
    // The last entry covers its own half-year only: beyond it the rate is not known yet.
    const lastEnd = halfYearEnd(rates[idx].effectiveFrom);
    if (!next && date > lastEnd) throw new PenaltyRateMissingError(j, date);
    return { rate: rates[idx], next: next ?? addDays(lastEnd, 1) };
  }
}

function halfYearEnd(date: string): string {
  const [y, m] = date.split('-').map(Number);
  return m <= 6 ? `${y}-06-30` : `${y}-12-31`;
}
