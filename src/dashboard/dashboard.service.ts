import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor, type Page } from '../common/http/pagination';
import { DEFAULT_DSO_DAYS, DsoService } from '../dunning/analytics/dso.service';
import { addDays, ReportContextService } from '../dunning/analytics/report-context.service';
import { CUSTOMER_DUNNING_SQL, REMINDERS_SQL } from './dashboard.query';
import { monthEnds } from './month-ends';

export interface ReminderView {
  id: string;
  customerId: string;
  customerName: string;
  channel: string;
  stepIndex: number;
  stepKey: string;
  status: string;
  recipient: string | null;
  subject: string | null;
  attempts: number;
  lastError: string | null;
  sentAt: Date | null;
  createdAt: Date;
  invoices: number;
  document: string | null;
}

/** What the dashboard reads that no other endpoint gives in one call. */
@Injectable()
export class DashboardService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly dso: DsoService,
    private readonly context: ReportContextService,
  ) {}

  /**
   * DSO, best possible DSO and average days delinquent at each of the last 12 month ends: the
   * DSO report's tenant figures (default period), from one set-based query over the 12 dates.
   */
  async dsoTrend(tenantId: string, asOf?: string) {
    const ctx = await this.context.resolve(tenantId, asOf);
    const ends = monthEnds(ctx.asOf, 12);
    const lines = await this.dso.tenantLines(tenantId, ends, DEFAULT_DSO_DAYS, false);
    return {
      asOf: ctx.asOf,
      months: ends.map((end) => ({
        month: end.slice(0, 7),
        asOf: end,
        from: addDays(end, 1 - DEFAULT_DSO_DAYS),
        lines: lines.get(end)!.map((l) => ({ currency: l.currency, dso: l.dso, bestPossibleDso: l.bestPossibleDso, averageDaysDelinquent: l.averageDaysDelinquent })),
      })),
    };
  }

  /** Collector and last reminder of every customer that has one of them. */
  async customerDunning(tenantId: string) {
    const rows: Array<{ customer_id: string; collector: string | null; last_sent_at: Date | null }> = await this.ds.query(CUSTOMER_DUNNING_SQL, [tenantId]);
    return { items: rows.map((r) => ({ customerId: r.customer_id, collector: r.collector, lastReminderAt: r.last_sent_at })) };
  }

  async reminders(tenantId: string, q: { cursor?: string; limit?: number }): Promise<Page<ReminderView>> {
    const after = decodeCursor(q.cursor, 2);
    const limit = q.limit ?? 50;
    const rows: Array<Record<string, unknown>> = await this.ds.query(REMINDERS_SQL, [tenantId, after?.[0] ?? null, after?.[1] ?? null, limit + 1]);
    const items = rows.slice(0, limit).map(
      (r): ReminderView => ({
        id: r.id as string,
        customerId: r.customer_id as string,
        customerName: r.customer_name as string,
        channel: r.channel as string,
        stepIndex: r.step_index as number,
        stepKey: r.step_key as string,
        status: r.status as string,
        recipient: r.recipient as string | null,
        subject: r.subject as string | null,
        attempts: r.attempts as number,
        lastError: r.last_error as string | null,
        sentAt: r.sent_at as Date | null,
        createdAt: r.created_at as Date,
        invoices: r.invoices as number,
        document: r.has_document ? `/v1/dunning/messages/${r.id as string}/document` : null,
      }),
    );
    // The cursor keeps the microseconds of created_at (a Date would round them to milliseconds).
    const last = rows[limit - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.created_key, last.id]) : null };
  }
}
