import { derivedDueDate } from './ledger-upsert.query';

/**
 * Fix-ups for references that arrive after the rows that point to them (a payment or an
 * allocation before its invoice, an invoice before its customer). Each runs only when its
 * batch created rows of the referenced table, and walks the pending rows through partial
 * indexes (`*_pending_*_idx`), so a batch with nothing pending costs one index probe.
 */

/**
 * Invoices waiting for a customer that now exists: link it, and re-derive a due date that
 * came from default terms. Driven by the pending rows (partial index), so the plan does not
 * depend on the statistics of a table that a big sync is filling.
 * Params: $1 tenant, $2 connection, $3 default terms days, $4 default end of month.
 */
export const LINK_INVOICE_CUSTOMERS = `
WITH u AS (
  UPDATE invoices i SET customer_id = c.id,
         due_date = CASE WHEN i.due_date_derived THEN ${derivedDueDate('i.issue_date')} ELSE i.due_date END,
         updated_at = now()
    FROM customers c
   WHERE i.tenant_id = $1 AND i.connection_id = $2 AND i.customer_id IS NULL
     AND c.tenant_id = $1 AND c.connection_id = $2 AND c.external_id = i.customer_external_id
  RETURNING 1
)
SELECT count(*)::int AS n FROM u`;

/**
 * Due dates derived from terms, for customers whose record changed ($5 external ids).
 * Params: $1 tenant, $2 connection, $3 default terms days, $4 default end of month, $5 text[].
 */
export const REDERIVE_DUE_DATES = `
WITH u AS (
  UPDATE invoices i SET due_date = ${derivedDueDate('i.issue_date')}, updated_at = now()
    FROM customers c
   WHERE c.tenant_id = $1 AND c.connection_id = $2 AND c.external_id = ANY($5::text[])
     AND i.tenant_id = $1 AND i.customer_id = c.id AND i.due_date_derived
     AND i.due_date IS DISTINCT FROM ${derivedDueDate('i.issue_date')}
  RETURNING 1
)
SELECT count(*)::int AS n FROM u`;

/** Payments waiting for a customer that now exists. Params: $1 tenant, $2 connection. */
export const LINK_PAYMENT_CUSTOMERS = `
WITH u AS (
  UPDATE payments p SET customer_id = c.id, updated_at = now()
    FROM customers c
   WHERE p.tenant_id = $1 AND p.connection_id = $2 AND p.customer_id IS NULL
     AND c.tenant_id = $1 AND c.connection_id = $2 AND c.external_id = p.customer_external_id
  RETURNING 1
)
SELECT count(*)::int AS n FROM u`;

/** Allocations waiting for their invoice. Params: $1 tenant, $2 connection. */
export const LINK_ALLOCATION_INVOICES = `
WITH u AS (
  UPDATE allocations a SET invoice_id = i.id, updated_at = now()
    FROM invoices i
   WHERE a.tenant_id = $1 AND a.connection_id = $2 AND a.invoice_id IS NULL AND a.invoice_external_id IS NOT NULL
     AND i.tenant_id = $1 AND i.connection_id = $2 AND i.external_id = a.invoice_external_id
  RETURNING 1
)
SELECT count(*)::int AS n FROM u`;

/** Allocations waiting for their credit note. Params: $1 tenant, $2 connection. */
export const LINK_ALLOCATION_CREDIT_NOTES = `
WITH u AS (
  UPDATE allocations a SET credit_note_id = i.id, updated_at = now()
    FROM invoices i
   WHERE a.tenant_id = $1 AND a.connection_id = $2 AND a.credit_note_id IS NULL AND a.credit_note_external_id IS NOT NULL
     AND i.tenant_id = $1 AND i.connection_id = $2 AND i.external_id = a.credit_note_external_id AND i.kind = 'credit_note'
  RETURNING 1
)
SELECT count(*)::int AS n FROM u`;

/** Allocations waiting for their payment. Params: $1 tenant, $2 connection. */
export const LINK_ALLOCATION_PAYMENTS = `
WITH u AS (
  UPDATE allocations a SET payment_id = p.id, updated_at = now()
    FROM payments p
   WHERE a.tenant_id = $1 AND a.connection_id = $2 AND a.payment_id IS NULL AND a.payment_external_id IS NOT NULL
     AND p.tenant_id = $1 AND p.connection_id = $2 AND p.external_id = a.payment_external_id
  RETURNING 1
)
SELECT count(*)::int AS n FROM u`;
