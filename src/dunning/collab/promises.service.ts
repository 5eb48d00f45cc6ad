import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { NotFoundError, ValidationError, ConflictError } from '../../common/errors';
import { formatMinor, toJsonMinor } from '../../common/money';
import { AuditLog } from '../timeline/audit-log';
import { DunningEvents } from '../timeline/dunning-events';

export interface NewPromise {
  customerId: string;
  invoiceIds?: string[];
  promisedDate: string;
  amountMinor: number;
  currency?: string;
  graceDays?: number;
  note?: string | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Record<string, any>;

export function promiseView(r: Row) {
  return {
    id: r.id,
    customerId: r.customer_id,
    invoiceIds: r.invoice_ids,
    promisedDate: r.promised_date,
    amountMinor: toJsonMinor(BigInt(r.amount_minor)),
    currency: r.currency.trim(),
    graceDays: r.grace_days,
    status: r.status,
    note: r.note,
    createdBy: r.created_by,
    createdAt: r.created_at,
    settledAt: r.settled_at,
  };
}

const SELECT = `SELECT id, customer_id, invoice_ids, to_char(promised_date, 'YYYY-MM-DD') AS promised_date, amount_minor::text AS amount_minor,
                       currency, grace_days, status, note, created_by, created_at, settled_at FROM payment_promises`;

/**
 * Promises to pay: recorded by operators (or from a call outcome), they pause the covered
 * invoices until the promised date + grace. Each dunning run settles them from payments:
 * kept when the customer's payments since the promise cover its amount, broken once the date
 * + grace has passed without that; a broken promise resumes the scenario and raises an alert.
 */
@Injectable()
export class PromisesService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly events: DunningEvents,
    private readonly audit: AuditLog,
  ) {}

  async create(tenantId: string, p: NewPromise, actor: string, m?: EntityManager): Promise<ReturnType<typeof promiseView>> {
    const work = async (tx: EntityManager) => {
      const cust = await tx.query(`SELECT id, currency FROM customers WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL`, [tenantId, p.customerId]);
      if (!cust.length) throw new NotFoundError('customer', p.customerId);
      const invoiceIds = p.invoiceIds ?? [];
      if (invoiceIds.length) {
        const found = await tx.query(`SELECT id, currency FROM invoices WHERE tenant_id = $1 AND customer_id = $2 AND id = ANY ($3::uuid[])`, [tenantId, p.customerId, invoiceIds]);
        if (found.length !== new Set(invoiceIds).size) throw new ValidationError([{ field: 'invoiceIds', message: "every invoice must be one of the customer's" }]);
      }
      const currency = p.currency ?? cust[0].currency?.trim() ?? 'EUR';
      const [row] = await tx.query(
        `INSERT INTO payment_promises (tenant_id, customer_id, invoice_ids, promised_date, amount_minor, currency, grace_days, note, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
        [tenantId, p.customerId, invoiceIds, p.promisedDate, String(p.amountMinor), currency, p.graceDays ?? 0, p.note ?? null, actor, this.clock.now()],
      );
      const text = `Promise to pay ${formatMinor(BigInt(p.amountMinor), currency)} ${currency} by ${p.promisedDate}`;
      await this.events.record(tx, (invoiceIds.length ? invoiceIds : [null]).map((invoiceId) => ({
        tenantId, customerId: p.customerId, invoiceId, type: 'promise' as const, actor, message: text, data: { promiseId: row.id },
      })));
      await this.audit.record(tx, { tenantId, actor, action: 'promise.created', subjectType: 'payment_promise', subjectId: row.id, data: { amountMinor: String(p.amountMinor), promisedDate: p.promisedDate } });
      return promiseView((await tx.query(`${SELECT} WHERE id = $1`, [row.id]))[0]);
    };
    return m ? work(m) : this.ds.transaction(work);
  }

  async list(tenantId: string, customerId?: string, status?: string) {
    const rows = await this.ds.query(
      `${SELECT} WHERE tenant_id = $1 AND ($2::uuid IS NULL OR customer_id = $2) AND ($3::text IS NULL OR status = $3) ORDER BY promised_date, id`,
      [tenantId, customerId ?? null, status ?? null],
    );
    return rows.map(promiseView);
  }

  async cancel(tenantId: string, id: string, actor: string) {
    return this.ds.transaction(async (m) => {
      const rows = await m.query(`${SELECT} WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [tenantId, id]);
      if (!rows.length) throw new NotFoundError('promise', id);
      if (rows[0].status !== 'pending') throw new ConflictError(`the promise is already ${rows[0].status}`);
      await m.query(`UPDATE payment_promises SET status = 'cancelled', settled_at = $3, updated_at = $3 WHERE tenant_id = $1 AND id = $2`, [tenantId, id, this.clock.now()]);
      await this.audit.record(m, { tenantId, actor, action: 'promise.cancelled', subjectType: 'payment_promise', subjectId: id, data: {} });
      return promiseView((await m.query(`${SELECT} WHERE id = $1`, [id]))[0]);
    });
  }

  /** Settles pending promises as of a date (set-based); records events and broken-promise alerts. */
  async evaluate(m: EntityManager, tenantId: string, asOf: string): Promise<{ kept: number; broken: number }> {
    const now = this.clock.now();
    const [settled]: [Row[], number] = await m.query(
      `WITH paid AS (
         SELECT pp.id, COALESCE(sum(p.amount_minor), 0) AS received
           FROM payment_promises pp
           LEFT JOIN payments p ON p.tenant_id = pp.tenant_id AND p.customer_id = pp.customer_id AND p.deleted_at IS NULL
                               AND p.currency = pp.currency AND p.date >= (pp.created_at AT TIME ZONE 'UTC')::date
                               AND p.date <= LEAST(pp.promised_date + pp.grace_days, $2::date)
          WHERE pp.tenant_id = $1 AND pp.status = 'pending'
          GROUP BY pp.id
       )
       UPDATE payment_promises pp
          SET status = CASE WHEN paid.received >= pp.amount_minor THEN 'kept' ELSE 'broken' END, settled_at = $3, updated_at = $3
         FROM paid
        WHERE paid.id = pp.id AND (paid.received >= pp.amount_minor OR $2::date > pp.promised_date + pp.grace_days)
       RETURNING pp.id, pp.customer_id, pp.status, pp.amount_minor::text AS amount_minor, pp.currency, to_char(pp.promised_date, 'YYYY-MM-DD') AS promised_date,
                 paid.received::text AS received`,
      [tenantId, asOf, now],
    );
    if (!settled.length) return { kept: 0, broken: 0 };
    await this.events.record(m, settled.map((r) => ({
      tenantId, customerId: r.customer_id, invoiceId: null, type: r.status === 'kept' ? ('promise_kept' as const) : ('promise_broken' as const), actor: 'system',
      message: `Promise to pay ${formatMinor(BigInt(r.amount_minor), r.currency.trim())} ${r.currency.trim()} by ${r.promised_date} ${r.status}`,
      data: { promiseId: r.id, receivedMinor: r.received },
    })));
    const broken = settled.filter((r) => r.status === 'broken');
    for (const r of broken) {
      await m.query(
        `INSERT INTO alerts (tenant_id, kind, key, customer_id, currency, figures, as_of, raised_at)
         VALUES ($1, 'broken_promise', $2, $3, $4, $5, $6, $7) ON CONFLICT (tenant_id, kind, key) DO NOTHING`,
        [tenantId, r.id, r.customer_id, r.currency.trim(), JSON.stringify({ promisedMinor: r.amount_minor, receivedMinor: r.received, promisedDate: r.promised_date }), asOf, now],
      );
    }
    return { kept: settled.length - broken.length, broken: broken.length };
  }
}
