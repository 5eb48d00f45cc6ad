import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../common/errors';
import { decodeCursor, encodeCursor, Page } from '../common/http/pagination';
import { toJsonMinor } from '../common/money';
import { CustomerQuery, InvoiceQuery, PaymentQuery } from './ledger-read.dto';

/** Collects `AND` conditions with numbered parameters. */
class Where {
  readonly parts: string[] = [];
  readonly params: unknown[] = [];

  add(sql: string, ...values: unknown[]): this {
    let text = sql;
    for (const v of values) {
      this.params.push(v);
      text = text.replace('?', `$${this.params.length}`);
    }
    this.parts.push(text);
    return this;
  }

  get sql(): string {
    return this.parts.join(' AND ');
  }

  next(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
}

/** A raw row from `DataSource.query`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Record<string, any>;

const minor = (v: string | null) => (v === null ? null : toJsonMinor(BigInt(v)));

/**
 * Read side of the ledger for the API. Every query starts from the caller's tenant.
 * Outstanding amounts are derived from allocations, never stored.
 */
@Injectable()
export class LedgerReadService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async customers(tenantId: string, q: CustomerQuery, id?: string): Promise<Page<Record<string, unknown>>> {
    const w = new Where().add('c.tenant_id = ?', tenantId).add('c.deleted_at IS NULL');
    if (id) w.add('c.id = ?', id);
    if (q.connection) w.add('c.connection_id = ?', q.connection);
    if (q.search) w.add(`c.name ILIKE ?`, `%${q.search.replace(/[%_\\]/g, '\\$&')}%`);
    if (q.updatedSince) w.add('c.updated_at >= ?', q.updatedSince);
    const after = decodeCursor(q.cursor, 1);
    if (after) w.add('c.id > ?', after[0]);
    const limit = q.limit ?? 100;
    const rows = await this.ds.query(
      `SELECT c.id, c.connection_id, c.external_id, c.name, c.emails, c.phones, c.currency, c.terms_days,
              c.terms_end_of_month, c.credit_limit_minor, c.company, c.language, c.tax_id, c.updated_at
         FROM customers c WHERE ${w.sql} ORDER BY c.id LIMIT ${w.next(limit + 1)}`,
      w.params,
    );
    return this.page(rows, limit, (r) => ({
      id: r.id,
      connectionId: r.connection_id,
      externalId: r.external_id,
      name: r.name,
      emails: r.emails,
      phones: r.phones,
      currency: r.currency,
      termsDays: r.terms_days,
      termsEndOfMonth: r.terms_end_of_month,
      creditLimitMinor: minor(r.credit_limit_minor),
      company: r.company,
      language: r.language,
      taxId: r.tax_id,
      updatedAt: r.updated_at,
    }));
  }

  async customer(tenantId: string, id: string): Promise<Record<string, unknown>> {
    const page = await this.customers(tenantId, { limit: 1 }, id);
    if (!page.items.length) throw new NotFoundError('customer', id);
    return page.items[0];
  }

  async invoices(tenantId: string, q: InvoiceQuery): Promise<Page<Record<string, unknown>>> {
    const w = new Where().add('i.tenant_id = ?', tenantId);
    if (q.status) w.add('i.status = ?', q.status);
    else w.add('i.deleted_at IS NULL');
    if (q.connection) w.add('i.connection_id = ?', q.connection);
    if (q.customer) w.add('i.customer_id = ?', q.customer);
    if (q.kind) w.add('i.kind = ?', q.kind);
    if (q.dueBefore) w.add('i.due_date <= ?', q.dueBefore);
    if (q.dueAfter) w.add('i.due_date >= ?', q.dueAfter);
    if (q.updatedSince) w.add('i.updated_at >= ?', q.updatedSince);
    const after = decodeCursor(q.cursor, 1);
    if (after) w.add('i.id > ?', after[0]);
    const limit = q.limit ?? 100;
    const rows = await this.ds.query(
      `SELECT i.id, i.connection_id, i.external_id, i.customer_id, i.customer_external_id, i.kind, i.number,
              to_char(i.issue_date, 'YYYY-MM-DD') AS issue_date, to_char(i.due_date, 'YYYY-MM-DD') AS due_date,
              i.currency, i.total_minor, i.status, i.currency_rate, i.reference, i.updated_at,
              CASE WHEN i.status IN ('void', 'deleted') THEN 0
                   ELSE i.total_minor - COALESCE(al.allocated, 0) END AS outstanding_minor
         FROM invoices i
         LEFT JOIN LATERAL (
           SELECT sum(a.amount_minor) AS allocated FROM allocations a
            WHERE a.deleted_at IS NULL
              AND CASE WHEN i.kind = 'invoice' THEN a.invoice_id = i.id ELSE a.credit_note_id = i.id END
         ) al ON true
        WHERE ${w.sql} ORDER BY i.id LIMIT ${w.next(limit + 1)}`,
      w.params,
    );
    return this.page(rows, limit, (r) => ({
      id: r.id,
      connectionId: r.connection_id,
      externalId: r.external_id,
      customerId: r.customer_id,
      customerExternalId: r.customer_external_id,
      kind: r.kind,
      number: r.number,
      issueDate: r.issue_date,
      dueDate: r.due_date,
      currency: r.currency,
      totalMinor: minor(r.total_minor),
      outstandingMinor: minor(r.outstanding_minor),
      status: r.status,
      currencyRate: r.currency_rate,
      reference: r.reference,
      updatedAt: r.updated_at,
    }));
  }

  async payments(tenantId: string, q: PaymentQuery): Promise<Page<Record<string, unknown>>> {
    const w = new Where().add('p.tenant_id = ?', tenantId).add('p.deleted_at IS NULL');
    if (q.connection) w.add('p.connection_id = ?', q.connection);
    if (q.customer) w.add('p.customer_id = ?', q.customer);
    if (q.updatedSince) w.add('p.updated_at >= ?', q.updatedSince);
    const after = decodeCursor(q.cursor, 1);
    if (after) w.add('p.id > ?', after[0]);
    const limit = q.limit ?? 100;
    const rows = await this.ds.query(
      `SELECT p.id, p.connection_id, p.external_id, p.customer_id, p.customer_external_id, p.kind,
              to_char(p.date, 'YYYY-MM-DD') AS date, p.currency, p.amount_minor, p.method, p.reference, p.updated_at,
              p.amount_minor - COALESCE((SELECT sum(a.amount_minor) FROM allocations a
                                          WHERE a.payment_id = p.id AND a.deleted_at IS NULL), 0) AS unallocated_minor
         FROM payments p WHERE ${w.sql} ORDER BY p.id LIMIT ${w.next(limit + 1)}`,
      w.params,
    );
    return this.page(rows, limit, (r) => ({
      id: r.id,
      connectionId: r.connection_id,
      externalId: r.external_id,
      customerId: r.customer_id,
      customerExternalId: r.customer_external_id,
      kind: r.kind,
      date: r.date,
      currency: r.currency,
      amountMinor: minor(r.amount_minor),
      unallocatedMinor: minor(r.unallocated_minor),
      method: r.method,
      reference: r.reference,
      updatedAt: r.updated_at,
    }));
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private page(rows: Row[], limit: number, map: (r: Row) => Record<string, unknown>) {
    const more = rows.length > limit;
    const items = rows.slice(0, limit);
    return { items: items.map(map), nextCursor: more ? encodeCursor([items[items.length - 1].id]) : null };
  }
}
