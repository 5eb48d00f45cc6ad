/**
 * The receivables ledger as of a date, as SQL common table expressions. Parameters:
 * `$1` tenant id, `$2` as-of date. Documents and allocations dated after the as-of date
 * are ignored; void, deleted and tombstoned documents never count.
 *
 * - `docs`: invoices, credit notes and payments in force at the date, read once;
 * - `eff_alloc`: allocations in force at the date: dated on or before it, neither end void,
 *   deleted or dated later (an anti-join on the few documents not in force);
 * - `open_items`: one row per document with something left open at the date: invoices
 *   (positive, aged from their due date), unallocated credit notes and payment remainders
 *   (negative, aged from their own date). Their sum per customer is exactly
 *   invoices − credit notes − payments, the customer's balance in the books.
 */
export const OPEN_ITEMS_CTES = `
  docs AS MATERIALIZED (
    SELECT i.id, i.connection_id, i.customer_external_id, i.customer_id, i.currency,
           CASE WHEN i.kind = 'invoice' THEN 'invoice' ELSE 'credit_note' END AS doc_type,
           CASE WHEN i.kind = 'invoice' THEN COALESCE(i.due_date, i.issue_date) ELSE i.issue_date END AS ref_date,
           i.issue_date, i.total_minor
      FROM invoices i
     WHERE i.tenant_id = $1 AND i.deleted_at IS NULL AND i.status NOT IN ('void', 'deleted') AND i.issue_date <= $2::date
    UNION ALL
    SELECT p.id, p.connection_id, p.customer_external_id, p.customer_id, p.currency, 'payment', p.date, p.date, p.amount_minor
      FROM payments p
     WHERE p.tenant_id = $1 AND p.deleted_at IS NULL AND p.date <= $2::date
  ),
  not_in_force AS MATERIALIZED (
    SELECT i.id FROM invoices i
     WHERE i.tenant_id = $1 AND (i.deleted_at IS NOT NULL OR i.status IN ('void', 'deleted') OR i.issue_date > $2::date)
    UNION ALL
    SELECT p.id FROM payments p WHERE p.tenant_id = $1 AND (p.deleted_at IS NOT NULL OR p.date > $2::date)
  ),
  eff_alloc AS MATERIALIZED (
    SELECT a.invoice_id, a.payment_id, a.credit_note_id, a.amount_minor, a.date
      FROM allocations a
     WHERE a.tenant_id = $1 AND a.deleted_at IS NULL AND a.date <= $2::date
       AND a.invoice_id IS NOT NULL AND COALESCE(a.payment_id, a.credit_note_id) IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM not_in_force x WHERE x.id = a.invoice_id)
       AND NOT EXISTS (SELECT 1 FROM not_in_force x WHERE x.id = COALESCE(a.payment_id, a.credit_note_id))
  ),
  alloc_sums AS (
    SELECT invoice_id AS id, sum(amount_minor) AS s FROM eff_alloc GROUP BY invoice_id
    UNION ALL
    SELECT COALESCE(payment_id, credit_note_id), sum(amount_minor) FROM eff_alloc GROUP BY COALESCE(payment_id, credit_note_id)
  ),
  open_items AS (
    SELECT d.connection_id, d.customer_external_id, d.customer_id, d.currency, d.doc_type, d.id AS doc_id, d.ref_date, d.issue_date,
           CASE WHEN d.doc_type = 'invoice' THEN d.total_minor - COALESCE(s.s, 0) ELSE -(d.total_minor - COALESCE(s.s, 0)) END AS open_minor,
           d.total_minor
      FROM docs d LEFT JOIN alloc_sums s ON s.id = d.id
  )`;
