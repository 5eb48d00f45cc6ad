import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import { ConflictError, NotFoundError, ValidationError } from '../../common/errors';
import { AuditLog } from '../timeline/audit-log';
import { DunningEvents } from '../timeline/dunning-events';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Record<string, any>;

const pauseView = (r: Row) => ({
  id: r.id, customerId: r.customer_id, invoiceId: r.invoice_id, reason: r.reason, until: r.until, createdBy: r.created_by, createdAt: r.created_at, liftedAt: r.lifted_at,
});

/** Manual pauses, customer exclusions and collectors' portfolios, and notes. */
@Injectable()
export class ControlsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly events: DunningEvents,
  ) {}

  async pause(tenantId: string, p: { customerId?: string; invoiceId?: string; until: string; reason: string }, actor: string) {
    if (!p.customerId === !p.invoiceId) throw new ValidationError([{ field: 'customerId', message: 'give either customerId or invoiceId' }]);
    return this.ds.transaction(async (m) => {
      let customerId = p.customerId ?? null;
      if (p.invoiceId) {
        const inv = await m.query(`SELECT customer_id FROM invoices WHERE tenant_id = $1 AND id = $2`, [tenantId, p.invoiceId]);
        if (!inv.length) throw new NotFoundError('invoice', p.invoiceId);
        customerId = inv[0].customer_id;
      } else if (!(await m.query(`SELECT 1 FROM customers WHERE tenant_id = $1 AND id = $2`, [tenantId, p.customerId])).length) {
        throw new NotFoundError('customer', p.customerId);
      }
      const [row] = await m.query(
        `INSERT INTO dunning_pauses (tenant_id, customer_id, invoice_id, reason, until, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         RETURNING id, customer_id, invoice_id, reason, to_char(until, 'YYYY-MM-DD') AS until, created_by, created_at, lifted_at`,
        [tenantId, p.invoiceId ? null : customerId, p.invoiceId ?? null, p.reason, p.until, actor, this.clock.now()],
      );
      await this.events.record(m, [{ tenantId, customerId, invoiceId: p.invoiceId ?? null, type: 'paused', actor, message: `Reminders paused until ${p.until}: ${p.reason}`, data: { pauseId: row.id } }]);
      await this.audit.record(m, { tenantId, actor, action: 'dunning_pause.created', subjectType: 'dunning_pause', subjectId: row.id, data: { until: p.until } });
      return pauseView(row);
    });
  }

  async pauses(tenantId: string) {
    const rows = await this.ds.query(
      `SELECT id, customer_id, invoice_id, reason, to_char(until, 'YYYY-MM-DD') AS until, created_by, created_at, lifted_at
         FROM dunning_pauses WHERE tenant_id = $1 AND lifted_at IS NULL ORDER BY until, id`,
      [tenantId],
    );
    return { items: rows.map(pauseView) };
  }

  async lift(tenantId: string, id: string, actor: string): Promise<void> {
    await this.ds.transaction(async (m) => {
      const [rows] = await m.query(`UPDATE dunning_pauses SET lifted_at = $3 WHERE tenant_id = $1 AND id = $2 AND lifted_at IS NULL RETURNING id`, [tenantId, id, this.clock.now()]);
      if (!rows.length) throw new NotFoundError('pause', id);
      await this.audit.record(m, { tenantId, actor, action: 'dunning_pause.lifted', subjectType: 'dunning_pause', subjectId: id, data: {} });
    });
  }

  async customerSettings(tenantId: string, customerId: string) {
    const c = await this.ds.query(
      `SELECT c.id, s.excluded, s.exclusion_reason, s.collector FROM customers c
         LEFT JOIN dunning_customer_settings s ON s.tenant_id = c.tenant_id AND s.customer_id = c.id
        WHERE c.tenant_id = $1 AND c.id = $2`,
      [tenantId, customerId],
    );
    if (!c.length) throw new NotFoundError('customer', customerId);
    return { customerId, excluded: !!c[0].excluded, exclusionReason: c[0].exclusion_reason ?? null, collector: c[0].collector ?? null };
  }

  async updateCustomer(tenantId: string, customerId: string, u: { excluded?: boolean; exclusionReason?: string | null; collector?: string | null }, actor: string) {
    const before = await this.customerSettings(tenantId, customerId);
    const next = { ...before, ...Object.fromEntries(Object.entries(u).filter(([, v]) => v !== undefined)) };
    await this.ds.transaction(async (m) => {
      await m.query(
        `INSERT INTO dunning_customer_settings (tenant_id, customer_id, excluded, exclusion_reason, collector, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (tenant_id, customer_id) DO UPDATE SET excluded = EXCLUDED.excluded, exclusion_reason = EXCLUDED.exclusion_reason,
           collector = EXCLUDED.collector, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
        [tenantId, customerId, next.excluded, next.exclusionReason, next.collector, actor, this.clock.now()],
      );
      await this.audit.record(m, { tenantId, actor, action: 'dunning_customer.updated', subjectType: 'customer', subjectId: customerId, data: { ...u } });
    });
    return this.customerSettings(tenantId, customerId);
  }

  async addNote(tenantId: string, customerId: string, text: string, invoiceId: string | undefined, actor: string) {
    await this.customerSettings(tenantId, customerId);
    if (invoiceId && !(await this.ds.query(`SELECT 1 FROM invoices WHERE tenant_id = $1 AND id = $2 AND customer_id = $3`, [tenantId, invoiceId, customerId])).length) {
      throw new ConflictError(`invoice ${invoiceId} is not one of the customer's`);
    }
    const [id] = await this.ds.transaction((m) =>
      this.events.record(m, [{ tenantId, customerId, invoiceId: invoiceId ?? null, type: 'note', actor, message: text }]),
    );
    return { id };
  }
}
