import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../../common/errors';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Record<string, any>;

/**
 * A customer's (or an invoice's) dunning history: messages with channel, content and
 * delivery status, then every event — calls and outcomes, promises, disputes, notes,
 * approvals — newest first.
 */
@Injectable()
export class TimelineService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async forCustomer(tenantId: string, customerId: string) {
    const c = await this.ds.query(`SELECT id FROM customers WHERE tenant_id = $1 AND id = $2`, [tenantId, customerId]);
    if (!c.length) throw new NotFoundError('customer', customerId);
    return this.build(tenantId, 'customer', customerId);
  }

  async forInvoice(tenantId: string, invoiceId: string) {
    const i = await this.ds.query(`SELECT id FROM invoices WHERE tenant_id = $1 AND id = $2`, [tenantId, invoiceId]);
    if (!i.length) throw new NotFoundError('invoice', invoiceId);
    return this.build(tenantId, 'invoice', invoiceId);
  }

  /** Reminder messages of the tenant, newest first (`status`, `customer`, `channel` filters). */
  async messages(tenantId: string, q: { status?: string; customerId?: string; channel?: string }) {
    const rows: Row[] = await this.ds.query(
      `SELECT m.id, m.customer_id, c.name AS customer_name, m.channel, m.step_index, m.step_key, m.status, m.recipient, m.subject,
              m.document_path, m.attempts, m.last_error, m.sent_at, m.created_at,
              (SELECT count(*)::int FROM dunning_reminders r WHERE r.message_id = m.id) AS invoices
         FROM dunning_messages m JOIN customers c ON c.id = m.customer_id
        WHERE m.tenant_id = $1 AND ($2::text IS NULL OR m.status = $2) AND ($3::uuid IS NULL OR m.customer_id = $3) AND ($4::text IS NULL OR m.channel = $4)
        ORDER BY m.created_at DESC, m.id LIMIT 500`,
      [tenantId, q.status ?? null, q.customerId ?? null, q.channel ?? null],
    );
    return {
      items: rows.map((m) => ({
        id: m.id, customerId: m.customer_id, customerName: m.customer_name, channel: m.channel, stepIndex: m.step_index, stepKey: m.step_key,
        status: m.status, recipient: m.recipient, subject: m.subject, document: m.document_path ? `/v1/dunning/messages/${m.id}/document` : null,
        attempts: m.attempts, error: m.last_error, sentAt: m.sent_at, createdAt: m.created_at, invoices: m.invoices,
      })),
    };
  }

  private async build(tenantId: string, scope: 'customer' | 'invoice', id: string) {
    const messages: Row[] = await this.ds.query(
      `SELECT m.id, m.customer_id, m.channel, m.step_index, m.step_key, m.status, m.recipient, m.subject, m.body, m.document_path,
              m.attempts, m.last_error, m.sent_at, m.created_at, array_agg(r.invoice_id ORDER BY r.invoice_id) AS invoice_ids
         FROM dunning_messages m JOIN dunning_reminders r ON r.message_id = m.id
        WHERE m.tenant_id = $1 AND ${scope === 'customer' ? 'm.customer_id = $2' : 'm.id IN (SELECT message_id FROM dunning_reminders WHERE tenant_id = $1 AND invoice_id = $2)'}
        GROUP BY m.id`,
      [tenantId, id],
    );
    const events: Row[] = await this.ds.query(
      `SELECT e.id, e.customer_id, e.invoice_id, e.type, e.actor, e.message, e.data, e.at, e.writeback_status
         FROM dunning_events e WHERE e.tenant_id = $1 AND ${scope === 'customer' ? 'e.customer_id = $2' : 'e.invoice_id = $2'}`,
      [tenantId, id],
    );
    const items = [
      ...messages.map((m) => ({
        at: (m.sent_at ?? m.created_at) as Date,
        kind: 'message' as const,
        id: m.id,
        channel: m.channel,
        stepIndex: m.step_index,
        stepKey: m.step_key,
        status: m.status,
        recipient: m.recipient,
        subject: m.subject,
        body: m.body,
        document: m.document_path ? `/v1/dunning/messages/${m.id}/document` : null,
        attempts: m.attempts,
        error: m.last_error,
        invoiceIds: m.invoice_ids,
      })),
      ...events.map((e) => ({
        at: e.at as Date,
        kind: 'event' as const,
        id: e.id,
        type: e.type,
        invoiceId: e.invoice_id,
        actor: e.actor,
        message: e.message,
        data: e.data,
        writeBack: e.writeback_status,
      })),
    ];
    items.sort((a, b) => b.at.getTime() - a.at.getTime() || (a.kind === b.kind ? a.id.localeCompare(b.id) : a.kind === 'message' ? -1 : 1));
    return { items };
  }
}
