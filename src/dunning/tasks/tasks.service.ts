import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import { ConflictError, NotFoundError, ValidationError } from '../../common/errors';
import { DisputesService } from '../collab/disputes.service';
import { PromisesService, type NewPromise } from '../collab/promises.service';
import { AuditLog } from '../timeline/audit-log';
import { DunningEvents } from '../timeline/dunning-events';
import type { CallOutcome } from './dunning-task.entity';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Record<string, any>;

export interface TaskCompletion {
  outcome: CallOutcome;
  note?: string | null;
  promise?: Omit<NewPromise, 'customerId'>;
  dispute?: { invoiceId: string; reason: string; amountMinor?: number | null };
}

const view = (r: Row) => ({
  id: r.id,
  customerId: r.customer_id,
  customerName: r.customer_name,
  messageId: r.message_id,
  kind: r.kind,
  status: r.status,
  title: r.title,
  assignedTo: r.assigned_to,
  dueDate: r.due_date,
  outcome: r.outcome,
  note: r.note,
  completedAt: r.completed_at,
  completedBy: r.completed_by,
});

const SELECT = `SELECT t.id, t.customer_id, c.name AS customer_name, t.message_id, t.kind, t.status, t.title, t.assigned_to,
                       to_char(t.due_date, 'YYYY-MM-DD') AS due_date, t.outcome, t.note, t.completed_at, t.completed_by
                  FROM dunning_tasks t JOIN customers c ON c.id = t.customer_id`;

/** The operators' work list of calls; outcomes feed promises and disputes. */
@Injectable()
export class TasksService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly promises: PromisesService,
    private readonly disputes: DisputesService,
    private readonly events: DunningEvents,
    private readonly audit: AuditLog,
  ) {}

  async list(tenantId: string, q: { status?: string; assignedTo?: string; customerId?: string }) {
    const rows = await this.ds.query(
      `${SELECT} WHERE t.tenant_id = $1 AND ($2::text IS NULL OR t.status = $2) AND ($3::text IS NULL OR t.assigned_to = $3)
          AND ($4::uuid IS NULL OR t.customer_id = $4) ORDER BY t.due_date, t.created_at, t.id`,
      [tenantId, q.status ?? null, q.assignedTo ?? null, q.customerId ?? null],
    );
    return { items: rows.map(view) };
  }

  async get(tenantId: string, id: string) {
    const rows = await this.ds.query(`${SELECT} WHERE t.tenant_id = $1 AND t.id = $2`, [tenantId, id]);
    if (!rows.length) throw new NotFoundError('task', id);
    return view(rows[0]);
  }

  async assign(tenantId: string, id: string, assignedTo: string | null, actor: string) {
    await this.ds.transaction(async (m) => {
      const res = await m.query(`UPDATE dunning_tasks SET assigned_to = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2 RETURNING id`, [tenantId, id, assignedTo, this.clock.now()]);
      if (!res[0].length) throw new NotFoundError('task', id);
      await this.audit.record(m, { tenantId, actor, action: 'dunning_task.assigned', subjectType: 'dunning_task', subjectId: id, data: { assignedTo } });
    });
    return this.get(tenantId, id);
  }

  async complete(tenantId: string, id: string, c: TaskCompletion, actor: string) {
    if (c.outcome === 'promise' && !c.promise) throw new ValidationError([{ field: 'promise', message: 'required when the outcome is promise' }]);
    if (c.outcome === 'dispute' && !c.dispute) throw new ValidationError([{ field: 'dispute', message: 'required when the outcome is dispute' }]);
    await this.ds.transaction(async (m) => {
      const rows = await m.query(`SELECT id, status, customer_id FROM dunning_tasks WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [tenantId, id]);
      if (!rows.length) throw new NotFoundError('task', id);
      if (rows[0].status !== 'open') throw new ConflictError(`the task is already ${rows[0].status}`);
      const customerId = rows[0].customer_id as string;
      if (c.outcome === 'promise' && c.promise) await this.promises.create(tenantId, { ...c.promise, customerId }, actor, m);
      if (c.outcome === 'dispute' && c.dispute) {
        const own = await m.query(`SELECT 1 FROM invoices WHERE tenant_id = $1 AND id = $2 AND customer_id = $3`, [tenantId, c.dispute.invoiceId, customerId]);
        if (!own.length) throw new ValidationError([{ field: 'dispute.invoiceId', message: "must be one of the customer's invoices" }]);
        await this.disputes.open(tenantId, c.dispute, actor, m);
      }
      await m.query(`UPDATE dunning_tasks SET status = 'done', outcome = $3, note = $4, completed_at = $5, completed_by = $6, updated_at = $5 WHERE id = $2 AND tenant_id = $1`, [
        tenantId, id, c.outcome, c.note ?? null, this.clock.now(), actor,
      ]);
      await this.events.record(m, [{ tenantId, customerId, invoiceId: null, type: 'call_outcome', actor, message: `Call: ${c.outcome}${c.note ? ` (${c.note})` : ''}`, data: { taskId: id, outcome: c.outcome } }]);
      await this.audit.record(m, { tenantId, actor, action: 'dunning_task.completed', subjectType: 'dunning_task', subjectId: id, data: { outcome: c.outcome } });
    });
    return this.get(tenantId, id);
  }
}
