import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

/**
 * Small factories that write ledger rows straight into the database, for tests that need
 * a ledger in a precise state. Amounts in minor units (bigint or number).
 */
export interface LedgerScope {
  ds: DataSource;
  tenantId: string;
  connectionId: string;
}

export async function aConnection(ds: DataSource, tenantId: string, over: Partial<{ provider: string; name: string; settings: object }> = {}): Promise<string> {
  const id = randomUUID();
  await ds.query(
    `INSERT INTO connections (id, tenant_id, provider, name, settings) VALUES ($1, $2, $3, $4, $5)`,
    [id, tenantId, over.provider ?? 'test', over.name ?? `conn-${id.slice(0, 8)}`, JSON.stringify(over.settings ?? {})],
  );
  return id;
}

export async function aCustomer(
  s: LedgerScope,
  over: Partial<{ externalId: string; name: string; emails: string[]; currency: string; termsDays: number; creditLimitMinor: bigint | number; language: string }> = {},
): Promise<{ id: string; externalId: string }> {
  const id = randomUUID();
  const externalId = over.externalId ?? `C-${id.slice(0, 8)}`;
  await s.ds.query(
    `INSERT INTO customers (id, tenant_id, connection_id, external_id, content_hash, name, emails, currency, terms_days, credit_limit_minor, language)
     VALUES ($1, $2, $3, $4, 'factory', $5, $6, $7, $8, $9, $10)`,
    [id, s.tenantId, s.connectionId, externalId, over.name ?? `Customer ${externalId}`, over.emails ?? [], over.currency ?? 'EUR',
     over.termsDays ?? 30, over.creditLimitMinor?.toString() ?? null, over.language ?? null],
  );
  return { id, externalId };
}

export async function anInvoice(
  s: LedgerScope,
  customer: { id: string; externalId: string },
  over: Partial<{ externalId: string; kind: 'invoice' | 'credit_note'; number: string; issueDate: string; dueDate: string | null; currency: string; totalMinor: bigint | number; status: string }> = {},
): Promise<{ id: string; externalId: string }> {
  const id = randomUUID();
  const externalId = over.externalId ?? `I-${id.slice(0, 8)}`;
  await s.ds.query(
    `INSERT INTO invoices (id, tenant_id, connection_id, external_id, content_hash, customer_id, customer_external_id, kind, number,
                           issue_date, due_date, currency, total_minor, status)
     VALUES ($1, $2, $3, $4, 'factory', $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [id, s.tenantId, s.connectionId, externalId, customer.id, customer.externalId, over.kind ?? 'invoice', over.number ?? externalId,
     over.issueDate ?? '2026-01-01', over.dueDate === undefined ? '2026-01-31' : over.dueDate, over.currency ?? 'EUR',
     (over.totalMinor ?? 10000).toString(), over.status ?? 'open'],
  );
  return { id, externalId };
}

export async function aPayment(
  s: LedgerScope,
  customer: { id: string; externalId: string },
  over: Partial<{ externalId: string; date: string; currency: string; amountMinor: bigint | number; reference: string; kind: string }> = {},
): Promise<{ id: string; externalId: string }> {
  const id = randomUUID();
  const externalId = over.externalId ?? `P-${id.slice(0, 8)}`;
  await s.ds.query(
    `INSERT INTO payments (id, tenant_id, connection_id, external_id, content_hash, customer_id, customer_external_id, kind, date, currency, amount_minor, reference)
     VALUES ($1, $2, $3, $4, 'factory', $5, $6, $7, $8, $9, $10, $11)`,
    [id, s.tenantId, s.connectionId, externalId, customer.id, customer.externalId, over.kind ?? 'payment', over.date ?? '2026-02-01',
     over.currency ?? 'EUR', (over.amountMinor ?? 10000).toString(), over.reference ?? null],
  );
  return { id, externalId };
}

export async function anAllocation(
  s: LedgerScope,
  to: { invoiceId: string; paymentId?: string; creditNoteId?: string },
  over: Partial<{ amountMinor: bigint | number; date: string; currency: string; method: string; externalId: string | null }> = {},
): Promise<string> {
  const id = randomUUID();
  await s.ds.query(
    `INSERT INTO allocations (id, tenant_id, connection_id, external_id, invoice_id, payment_id, credit_note_id, amount_minor, currency, date, method, confidence)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 100)`,
    [id, s.tenantId, s.connectionId, over.externalId === undefined ? `A-${id.slice(0, 8)}` : over.externalId, to.invoiceId,
     to.paymentId ?? null, to.creditNoteId ?? null, (over.amountMinor ?? 10000).toString(), over.currency ?? 'EUR',
     over.date ?? '2026-02-01', over.method ?? 'source'],
  );
  return id;
}
