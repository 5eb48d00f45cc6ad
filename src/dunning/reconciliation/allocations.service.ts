import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { ConflictError, NotFoundError, ValidationError } from '../../common/errors';
import { decodeCursor, encodeCursor, Page } from '../../common/http/pagination';
import { toJsonMinor } from '../../common/money';
import { recordAudit } from './audit';
import { RULE_METHODS } from './reconciliation.query';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Record<string, any>;

export interface ManualAllocation {
  invoiceId: string;
  paymentId?: string;
  creditNoteId?: string;
  amountMinor: number;
  /** Defaults to the later of the two documents' dates. */
  date?: string;
}

const minor = (v: string | null) => (v === null ? null : toJsonMinor(BigInt(v)));

function allocationView(r: Row) {
  return {
    id: r.id,
    invoiceId: r.invoice_id,
    invoiceNumber: r.invoice_number ?? undefined,
    paymentId: r.payment_id,
    creditNoteId: r.credit_note_id,
    amountMinor: minor(r.amount_minor),
    currency: r.currency,
    date: r.date,
    method: r.method,
    confidence: r.confidence,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

const ALLOCATION_SELECT = `SELECT a.id, a.invoice_id, i.number AS invoice_number, a.payment_id, a.credit_note_id, a.amount_minor::text AS amount_minor,
  a.currency, to_char(a.date, 'YYYY-MM-DD') AS date, a.method, a.confidence, a.created_by, a.created_at
  FROM allocations a LEFT JOIN invoices i ON i.id = a.invoice_id`;

/**
 * Operators' side of reconciliation: what is left unmatched, what the rules proposed, and
 * manual matches, confirmations and rejections, each audited with who and when.
 */
@Injectable()
export class AllocationsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Payments and credit notes with an unallocated remainder, oldest first. */
  async unmatched(tenantId: string, q: { limit?: number; cursor?: string; customer?: string }): Promise<Page<Record<string, unknown>>> {
    const limit = q.limit ?? 100;
    const after = decodeCursor(q.cursor, 2) as [string, string] | null;
    const rows: Row[] = await this.ds.query(
      `WITH alloc AS (
         SELECT COALESCE(payment_id, credit_note_id) AS id, sum(amount_minor) AS s FROM allocations
          WHERE tenant_id = $1 AND deleted_at IS NULL AND (payment_id IS NOT NULL OR credit_note_id IS NOT NULL)
          GROUP BY COALESCE(payment_id, credit_note_id)
       ),
       items AS (
         SELECT 'payment' AS type, p.id, p.customer_id, p.customer_external_id, p.currency, p.date, p.amount_minor, p.reference
           FROM payments p WHERE p.tenant_id = $1 AND p.deleted_at IS NULL
         UNION ALL
         SELECT 'credit_note', i.id, i.customer_id, i.customer_external_id, i.currency, i.issue_date, i.total_minor, COALESCE(i.reference, i.number)
           FROM invoices i WHERE i.tenant_id = $1 AND i.kind = 'credit_note' AND i.deleted_at IS NULL AND i.status NOT IN ('void', 'deleted')
       )
       SELECT it.type, it.id, it.customer_id, it.customer_external_id, c.name AS customer_name, it.currency,
              to_char(it.date, 'YYYY-MM-DD') AS date, it.amount_minor::text AS amount_minor,
              (it.amount_minor - COALESCE(al.s, 0))::text AS unallocated_minor, it.reference
         FROM items it
         LEFT JOIN alloc al ON al.id = it.id
         LEFT JOIN customers c ON c.id = it.customer_id
        WHERE it.amount_minor > COALESCE(al.s, 0)
          AND ($2::uuid IS NULL OR it.customer_id = $2)
          AND ($3::date IS NULL OR (it.date, it.id) > ($3::date, $4::uuid))
        ORDER BY it.date, it.id
        LIMIT $5`,
      [tenantId, q.customer ?? null, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    const items = rows.slice(0, limit);
    return {
      items: items.map((r) => ({
        type: r.type,
        id: r.id,
        customerId: r.customer_id,
        customerRef: r.customer_external_id,
        customerName: r.customer_name,
        currency: r.currency,
        date: r.date,
        amountMinor: minor(r.amount_minor),
        unallocatedMinor: minor(r.unallocated_minor),
        reference: r.reference,
      })),
      nextCursor: rows.length > limit ? encodeCursor([items[items.length - 1].date, items[items.length - 1].id]) : null,
    };
  }

  /** Rule-made allocations no operator has confirmed yet, lowest confidence first. */
  async proposed(tenantId: string, q: { limit?: number; cursor?: string }): Promise<Page<Record<string, unknown>>> {
    const limit = q.limit ?? 100;
    const after = decodeCursor(q.cursor, 2) as [number, string] | null;
    const rows: Row[] = await this.ds.query(
      `${ALLOCATION_SELECT}
        WHERE a.tenant_id = $1 AND a.deleted_at IS NULL AND a.method = ANY($2::text[])
          AND NOT EXISTS (SELECT 1 FROM allocation_reviews r WHERE r.tenant_id = $1 AND r.allocation_id = a.id)
          AND ($3::int IS NULL OR (a.confidence, a.id) > ($3::int, $4::uuid))
        ORDER BY a.confidence, a.id LIMIT $5`,
      [tenantId, [...RULE_METHODS], after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    const items = rows.slice(0, limit);
    return {
      items: items.map(allocationView),
      nextCursor: rows.length > limit ? encodeCursor([items[items.length - 1].confidence, items[items.length - 1].id]) : null,
    };
  }

  /** A match made by hand: same customer and currency, within what both sides have left. */
  async create(tenantId: string, input: ManualAllocation, actor: string) {
    if (!!input.paymentId === !!input.creditNoteId) {
      throw new ValidationError([{ field: 'paymentId', message: 'give exactly one of paymentId and creditNoteId' }]);
    }
    if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0) {
      throw new ValidationError([{ field: 'amountMinor', message: 'must be a positive integer number of minor units' }]);
    }
    const amount = BigInt(input.amountMinor);
    return this.ds.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('reconciliation:' || $1))`, [tenantId]);
      const inv = await this.openAmount(m, tenantId, 'invoice', input.invoiceId);
      const src = input.paymentId
        ? await this.openAmount(m, tenantId, 'payment', input.paymentId)
        : await this.openAmount(m, tenantId, 'credit_note', input.creditNoteId!);
      if (src.customer_id !== inv.customer_id) {
        throw new ValidationError([{ field: 'invoiceId', message: 'the invoice belongs to another customer than the payment or credit note' }]);
      }
      if (src.currency !== inv.currency) {
        throw new ValidationError([{ field: 'invoiceId', message: `currencies differ (${src.currency} and ${inv.currency})` }]);
      }
      if (amount > BigInt(inv.open)) throw new ConflictError(`the invoice has ${inv.open} minor units left open, less than ${amount}`);
      if (amount > BigInt(src.open)) throw new ConflictError(`the ${src.kind} has ${src.open} minor units left unallocated, less than ${amount}`);
      const date = input.date ?? (src.date > inv.date ? src.date : inv.date);
      const now = this.clock.now();
      const [row] = await m.query(
        `INSERT INTO allocations (tenant_id, invoice_id, payment_id, credit_note_id, amount_minor, currency, date, method, confidence, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'manual', 100, $8, $9, $9) RETURNING id`,
        [tenantId, input.invoiceId, input.paymentId ?? null, input.creditNoteId ?? null, amount.toString(), inv.currency, date, actor, now],
      );
      await recordAudit(m, {
        tenantId, actor, action: 'allocation.created', subjectType: 'allocation', subjectId: row.id, at: now,
        data: { invoiceId: input.invoiceId, paymentId: input.paymentId ?? null, creditNoteId: input.creditNoteId ?? null, amountMinor: input.amountMinor, currency: inv.currency, date },
      });
      return this.get(m, tenantId, row.id);
    });
  }

  /** Withdraws a rule-made allocation (rejected: the rules never propose the pair again) or a manual one. */
  async remove(tenantId: string, id: string, actor: string): Promise<void> {
    await this.ds.transaction(async (m) => {
      const a = await this.get(m, tenantId, id);
      if (a.method === 'source') throw new ConflictError('allocations from the source are changed in the source system');
      const now = this.clock.now();
      await m.query(`UPDATE allocations SET deleted_at = $3, updated_at = $3 WHERE tenant_id = $1 AND id = $2`, [tenantId, id, now]);
      const rule = (RULE_METHODS as readonly string[]).includes(a.method);
      if (rule) await this.review(m, tenantId, a, 'rejected', actor, now);
      await recordAudit(m, {
        tenantId, actor, action: rule ? 'allocation.rejected' : 'allocation.deleted', subjectType: 'allocation', subjectId: id, at: now,
        data: { invoiceId: a.invoiceId, paymentId: a.paymentId, creditNoteId: a.creditNoteId, amountMinor: a.amountMinor, method: a.method },
      });
    });
  }

  /** Confirms a rule-made allocation: it becomes certain (confidence 100) and is never superseded. */
  async confirm(tenantId: string, id: string, actor: string) {
    return this.ds.transaction(async (m) => {
      const a = await this.get(m, tenantId, id);
      if (!(RULE_METHODS as readonly string[]).includes(a.method)) throw new ConflictError(`only rule-made allocations are confirmed (this one is ${a.method})`);
      const now = this.clock.now();
      await m.query(`UPDATE allocations SET confidence = 100, updated_at = $3 WHERE tenant_id = $1 AND id = $2`, [tenantId, id, now]);
      await this.review(m, tenantId, a, 'confirmed', actor, now);
      await recordAudit(m, {
        tenantId, actor, action: 'allocation.confirmed', subjectType: 'allocation', subjectId: id, at: now,
        data: { invoiceId: a.invoiceId, paymentId: a.paymentId, creditNoteId: a.creditNoteId, amountMinor: a.amountMinor, method: a.method, confidence: a.confidence },
      });
      return this.get(m, tenantId, id);
    });
  }

  private async review(m: EntityManager, tenantId: string, a: ReturnType<typeof allocationView>, decision: 'confirmed' | 'rejected', actor: string, now: Date) {
    await m.query(
      `INSERT INTO allocation_reviews (tenant_id, allocation_id, invoice_id, payment_id, credit_note_id, decision, decided_by, decided_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [tenantId, a.id, a.invoiceId, a.paymentId, a.creditNoteId, decision, actor, now],
    );
  }

  private async get(m: EntityManager, tenantId: string, id: string) {
    const [row] = await m.query(`${ALLOCATION_SELECT} WHERE a.tenant_id = $1 AND a.id = $2 AND a.deleted_at IS NULL`, [tenantId, id]);
    if (!row) throw new NotFoundError('allocation', id);
    return allocationView(row);
  }

  /** A document's customer, currency, date and open amount (locked for the transaction). */
  private async openAmount(m: EntityManager, tenantId: string, kind: 'invoice' | 'credit_note' | 'payment', id: string) {
    const sql =
      kind === 'payment'
        ? `SELECT p.customer_id, p.currency, to_char(p.date, 'YYYY-MM-DD') AS date,
                  (p.amount_minor - COALESCE((SELECT sum(amount_minor) FROM allocations WHERE payment_id = p.id AND deleted_at IS NULL), 0))::text AS open
             FROM payments p WHERE p.tenant_id = $1 AND p.id = $2 AND p.deleted_at IS NULL FOR UPDATE`
        : `SELECT i.customer_id, i.currency, to_char(i.issue_date, 'YYYY-MM-DD') AS date,
                  (i.total_minor - COALESCE((SELECT sum(amount_minor) FROM allocations
                                              WHERE ${kind === 'invoice' ? 'invoice_id' : 'credit_note_id'} = i.id AND deleted_at IS NULL), 0))::text AS open
             FROM invoices i WHERE i.tenant_id = $1 AND i.id = $2 AND i.kind = $3 AND i.deleted_at IS NULL
              AND i.status NOT IN ('void', 'deleted') FOR UPDATE`;
    const [row] = await m.query(sql, kind === 'payment' ? [tenantId, id] : [tenantId, id, kind]);
    if (!row) throw new NotFoundError(kind.replace('_', ' '), id);
    return { ...row, kind: kind.replace('_', ' ') } as { customer_id: string; currency: string; date: string; open: string; kind: string };
  }
}
