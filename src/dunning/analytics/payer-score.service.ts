import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../../common/errors';
import { PayerSegment, ScoreBreakdown, scorePayer } from './payer-score';
import { PAYER_SCORE_SQL } from './payer-score.query';
import { ReportContextService } from './report-context.service';

export interface PayerScore extends ScoreBreakdown {
  customerId: string;
  customerRef: string;
  name: string;
  connectionId: string;
  asOf: string;
}

/**
 * Payer scores (0–100) with their components, and the segment (`good`, `watch`, `risky`)
 * each customer falls in; thresholds from tenant settings `scoring.goodFrom` / `watchFrom`.
 * Dunning policies target segments through `segments()`.
 */
@Injectable()
export class PayerScoreService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly context: ReportContextService,
  ) {}

  async scores(tenantId: string, opts: { asOf?: string; customerId?: string } = {}): Promise<PayerScore[]> {
    const ctx = await this.context.resolve(tenantId, opts.asOf);
    const rows: Array<{
      customer_id: string; customer_ref: string; name: string; connection_id: string; avg_days_beyond_terms: string;
      late_invoices: number; invoices: number; broken_promises: number; disputes: number; exposure_percent: string | null;
    }> = await this.ds.query(PAYER_SCORE_SQL[ctx.view], [tenantId, ctx.asOf, opts.customerId ?? null]);
    return rows.map((r) => ({
      customerId: r.customer_id,
      customerRef: r.customer_ref,
      name: r.name,
      connectionId: r.connection_id,
      asOf: ctx.asOf,
      ...scorePayer(
        {
          avgDaysBeyondTerms: Number(r.avg_days_beyond_terms),
          lateInvoices: r.late_invoices,
          invoices: r.invoices,
          brokenPromises: r.broken_promises,
          disputes: r.disputes,
          exposurePercent: r.exposure_percent === null ? null : Number(r.exposure_percent),
        },
        ctx.settings,
      ),
    }));
  }

  /** One customer's score; 404 when the customer is not the tenant's. */
  async score(tenantId: string, customerId: string, asOf?: string): Promise<PayerScore> {
    const [one] = await this.scores(tenantId, { asOf, customerId });
    if (!one) throw new NotFoundError('customer', customerId);
    return one;
  }

  /** Segment of every customer of the tenant, by customer id. */
  async segments(tenantId: string, asOf?: string): Promise<Map<string, PayerSegment>> {
    return new Map((await this.scores(tenantId, { asOf })).map((s) => [s.customerId, s.segment]));
  }
}
