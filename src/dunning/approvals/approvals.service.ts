import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import { ConflictError, NotFoundError } from '../../common/errors';
import { toJsonMinor } from '../../common/money';
import { AuditLog } from '../timeline/audit-log';
import { DunningEvents } from '../timeline/dunning-events';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Record<string, any>;

/** The approval queue: messages of steps that need an operator's go before delivery. */
@Injectable()
export class ApprovalsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly events: DunningEvents,
  ) {}

  async list(tenantId: string) {
    const rows: Row[] = await this.ds.query(
      `SELECT m.id, m.customer_id, c.name AS customer_name, m.channel, m.step_index, m.step_key, m.created_at,
              json_agg(json_build_object('invoiceId', r.invoice_id, 'number', i.number, 'dueDate', to_char(i.due_date, 'YYYY-MM-DD'),
                       'currency', r.currency, 'outstandingMinor', r.outstanding_minor::text, 'interestMinor', r.interest_minor::text,
                       'indemnityMinor', r.indemnity_minor::text) ORDER BY i.due_date, i.number) AS invoices
         FROM dunning_messages m
         JOIN customers c ON c.id = m.customer_id
         JOIN dunning_reminders r ON r.message_id = m.id
         JOIN invoices i ON i.id = r.invoice_id
        WHERE m.tenant_id = $1 AND m.status = 'pending_approval'
        GROUP BY m.id, c.name ORDER BY m.created_at, m.id`,
      [tenantId],
    );
    const minor = (v: string | null) => (v == null ? null : toJsonMinor(BigInt(v)));
    return {
      items: rows.map((r) => ({
        id: r.id,
        customerId: r.customer_id,
        customerName: r.customer_name,
        channel: r.channel,
        stepIndex: r.step_index,
        stepKey: r.step_key,
        createdAt: r.created_at,
        invoices: (r.invoices as Row[]).map((i) => ({
          ...i, currency: String(i.currency).trim(), outstandingMinor: minor(i.outstandingMinor), interestMinor: minor(i.interestMinor), indemnityMinor: minor(i.indemnityMinor),
        })),
      })),
    };
  }

  /** Approves (→ queued for delivery) or rejects (the step is then considered done, not sent). */
  async decide(tenantId: string, id: string, decision: 'approve' | 'reject', actor: string, reason?: string | null): Promise<{ id: string; status: string }> {
    return this.ds.transaction(async (m) => {
      const rows = await m.query(`SELECT id, status, customer_id, step_key, channel FROM dunning_messages WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [tenantId, id]);
      if (!rows.length) throw new NotFoundError('approval', id);
      if (rows[0].status !== 'pending_approval') throw new ConflictError(`the message is ${rows[0].status}, not awaiting approval`);
      const status = decision === 'approve' ? 'queued' : 'rejected';
      await m.query(`UPDATE dunning_messages SET status = $3, decided_by = $4, last_error = $5, updated_at = $6 WHERE tenant_id = $1 AND id = $2`, [
        tenantId, id, status, actor, decision === 'reject' ? (reason ?? 'rejected by an operator') : null, this.clock.now(),
      ]);
      const invoices: Row[] = await m.query(`SELECT invoice_id FROM dunning_reminders WHERE tenant_id = $1 AND message_id = $2`, [tenantId, id]);
      await this.events.record(m, invoices.map((i) => ({
        tenantId, customerId: rows[0].customer_id, invoiceId: i.invoice_id, type: decision === 'approve' ? ('reminder_approved' as const) : ('reminder_rejected' as const),
        actor, message: `${rows[0].step_key} (${rows[0].channel}) ${decision === 'approve' ? 'approved' : 'rejected'}${reason ? `: ${reason}` : ''}`, data: { messageId: id },
      })));
      await this.audit.record(m, { tenantId, actor, action: `dunning_message.${decision === 'approve' ? 'approved' : 'rejected'}`, subjectType: 'dunning_message', subjectId: id, data: { reason: reason ?? null } });
      return { id, status };
    });
  }
}
