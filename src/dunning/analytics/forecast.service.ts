import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { toJsonMinor } from '../../common/money';
import { FORECAST_SQL, FORECAST_WEEKS } from './forecast.query';
import { addDays, querySerial, ReportContextService } from './report-context.service';

export interface ForecastWeek {
  week: number;
  start: string;
  end: string;
}

export interface ForecastCurrency {
  currency: string;
  /** Expected receipts of weeks 1…13, in minor units. */
  weeksMinor: number[];
  /** Expected after week 13. */
  laterMinor: number;
  /** Open invoices under an open dispute, not forecast. */
  disputedMinor: number;
  /** Every open invoice: Σ weeks + later + disputed. */
  openMinor: number;
}

export interface CashForecast {
  asOf: string;
  weeks: ForecastWeek[];
  currencies: ForecastCurrency[];
}

/** Cash-collection forecast: expected receipts per week for the next 13 weeks, per currency. */
@Injectable()
export class ForecastService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly context: ReportContextService,
  ) {}

  async report(tenantId: string, opts: { asOf?: string; customerId?: string } = {}): Promise<CashForecast> {
    const ctx = await this.context.resolve(tenantId, opts.asOf);
    const rows: Array<{ currency: string; week: number; amount: string }> = await querySerial(this.ds, FORECAST_SQL[ctx.view], [tenantId, ctx.asOf, opts.customerId ?? null]);
    const byCurrency = new Map<string, { weeks: bigint[]; later: bigint; disputed: bigint }>();
    for (const r of rows) {
      const c = byCurrency.get(r.currency) ?? { weeks: Array.from({ length: FORECAST_WEEKS }, () => 0n), later: 0n, disputed: 0n };
      const amount = BigInt(r.amount);
      if (r.week === -1) c.disputed += amount;
      else if (r.week === 0) c.later += amount;
      else c.weeks[r.week - 1] += amount;
      byCurrency.set(r.currency, c);
    }
    return {
      asOf: ctx.asOf,
      weeks: Array.from({ length: FORECAST_WEEKS }, (_, i) => ({ week: i + 1, start: addDays(ctx.asOf, 7 * i), end: addDays(ctx.asOf, 7 * i + 6) })),
      currencies: [...byCurrency.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([currency, c]) => ({
          currency,
          weeksMinor: c.weeks.map(toJsonMinor),
          laterMinor: toJsonMinor(c.later),
          disputedMinor: toJsonMinor(c.disputed),
          openMinor: toJsonMinor(c.weeks.reduce((a, v) => a + v, 0n) + c.later + c.disputed),
        })),
    };
  }
}
