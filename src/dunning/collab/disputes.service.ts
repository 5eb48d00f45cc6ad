import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { ConflictError, NotFoundError } from '../../common/errors';
import { toJsonMinor } from '../../common/money';
import { AuditLog } from '../timeline/audit-log';
import { DunningEvents } from '../timeline/dunning-events';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Record<string, any>;

export function disputeView(r: Row) {
  return {
    id: r.id,
    invoiceId: r.invoice_id,
    customerId: r.customer_id,
    reason: r.reason,
    amountMinor: r.amount_minor == null ? null : toJsonMinor(BigInt(r.amount_minor)),
    currency: r.currency?.trim() ?? null,
    status: r.status,
    openedAt: r.opened_at,
    openedBy: r.opened_by,
    resolvedAt: r.resolved_at,
    resolvedBy: r.resolved_by,
    resolutionNote: r.resolution_note,
  };
}

const SELECT = `SELECT id, invoice_id, customer_id, reason, amount_minor::text AS amount_minor, currency, status, opened_at, opened_by,
                       resolved_at, resolved_by, resolution_note FROM disputes`;

/** Disputes (litiges): an open one excludes its invoice from reminders until resolved. */
@Injectable()
export class DisputesService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly events: DunningEvents,
    private readonly audit: AuditLog,
  ) {}

  async open(tenantId: string, d: { invoiceId: string; reason: string; amountMinor?: number | null }, actor: string, m?: EntityManager) {
    const work = async (tx: EntityManager) => {
      const inv = await tx.query(`SELECT id, customer_id, currency FROM invoices WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [tenantId, d.invoiceId]);
      if (!inv.length) throw new NotFoundError('invoice', d.invoiceId);
      const open = await tx.query(`SELECT id FROM disputes WHERE tenant_id = $1 AND invoice_id = $2 AND status = 'open'`, [tenantId, d.invoiceId]);
      if (open.length) throw new ConflictError(`invoice ${d.invoiceId} already has an open dispute (${open[0].id})`);
      const now = this.clock.now();
      const [row] = await tx.query(
        `INSERT INTO disputes (tenant_id, invoice_id, customer_id, reason, amount_minor, currency, status, opened_at, opened_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $7, $7) RETURNING id`,
        [tenantId, d.invoiceId, inv[0].customer_id, d.reason, d.amountMinor == null ? null : String(d.amountMinor), d.amountMinor == null ? null : inv[0].currency, now, actor],
      );
      await this.events.record(tx, [{ tenantId, customerId: inv[0].customer_id, invoiceId: d.invoiceId, type: 'dispute_opened', actor, message: `Dispute opened: ${d.reason}`, data: { disputeId: row.id } }]);
      await this.audit.record(tx, { tenantId, actor, action: 'dispute.opened', subjectType: 'dispute', subjectId: row.id, data: { invoiceId: d.invoiceId } });
      return disputeView((await tx.query(`${SELECT} WHERE id = $1`, [row.id]))[0]);
    };
    return m ? work(m) : this.ds.transaction(work);
  }

  async resolve(tenantId: string, id: string, note: string | null, actor: string) {
    return this.ds.transaction(async (m) => {
      const rows = await m.query(`${SELECT} WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [tenantId, id]);
      if (!rows.length) throw new NotFoundError('dispute', id);
      if (rows[0].status !== 'open') throw new ConflictError('the dispute is already resolved');
      const now = this.clock.now();
      await m.query(`UPDATE disputes SET status = 'resolved', resolved_at = $3, resolved_by = $4, resolution_note = $5, updated_at = $3 WHERE tenant_id = $1 AND id = $2`, [tenantId, id, now, actor, note]);
      await this.events.record(m, [{ tenantId, customerId: rows[0].customer_id, invoiceId: rows[0].invoice_id, type: 'dispute_resolved', actor, message: `Dispute resolved${note ? `: ${note}` : ''}`, data: { disputeId: id } }]);
      await this.audit.record(m, { tenantId, actor, action: 'dispute.resolved', subjectType: 'dispute', subjectId: id, data: {} });
      return disputeView((await m.query(`${SELECT} WHERE id = $1`, [id]))[0]);
    });
  }

  async list(tenantId: string, q: { invoiceId?: string; customerId?: string; status?: string }) {
    const rows = await this.ds.query(
      `${SELECT} WHERE tenant_id = $1 AND ($2::uuid IS NULL OR invoice_id = $2) AND ($3::uuid IS NULL OR customer_id = $3) AND ($4::text IS NULL OR status = $4)
        ORDER BY opened_at, id`,
      [tenantId, q.invoiceId ?? null, q.customerId ?? null, q.status ?? null],
    );
    return rows.map(disputeView);
  }
}
