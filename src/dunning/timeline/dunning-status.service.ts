import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { csvLines } from '../analytics/report-csv';

export interface DunningStatusLine {
  at: string;
  customerRef: string | null;
  customerName: string | null;
  invoiceRef: string | null;
  invoiceNumber: string | null;
  event: string;
  channel: string | null;
  step: string | null;
  message: string;
  actor: string;
}

/**
 * Every dunning event of a tenant (sent, failed, promise, dispute opened/resolved, paused...),
 * for sources without a write-back (FEC files): imported back into the accounting package
 * by hand or by the integrator's tooling.
 */
@Injectable()
export class DunningStatusService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async lines(tenantId: string, since?: string): Promise<DunningStatusLine[]> {
    const rows = await this.ds.query(
      `SELECT to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at, c.external_id AS customer_ref, c.name AS customer_name,
              i.external_id AS invoice_ref, i.number AS invoice_number, e.type AS event, e.data ->> 'channel' AS channel,
              e.data ->> 'stepKey' AS step, e.message, e.actor
         FROM dunning_events e
         LEFT JOIN customers c ON c.id = e.customer_id
         LEFT JOIN invoices i ON i.id = e.invoice_id
        WHERE e.tenant_id = $1 AND ($2::date IS NULL OR e.at >= $2::date)
        ORDER BY e.at, e.id`,
      [tenantId, since ?? null],
    );
    return rows.map((r: Record<string, string | null>) => ({
      at: r.at!, customerRef: r.customer_ref, customerName: r.customer_name, invoiceRef: r.invoice_ref, invoiceNumber: r.invoice_number,
      event: r.event!, channel: r.channel, step: r.step, message: r.message!, actor: r.actor!,
    }));
  }

  csv(lines: DunningStatusLine[]): string {
    return csvLines(
      ['at', 'customerRef', 'customerName', 'invoiceRef', 'invoiceNumber', 'event', 'channel', 'step', 'message', 'actor'],
      lines.map((l) => [l.at, l.customerRef, l.customerName, l.invoiceRef, l.invoiceNumber, l.event, l.channel, l.step, l.message, l.actor]),
    );
  }
}
