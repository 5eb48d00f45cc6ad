/**
 * Outstanding per customer of one connection: open invoices minus open credit notes minus
 * unallocated payments, each net of its non-deleted allocations. $1 tenant, $2 connection.
 *
 * Allocations are summed per document through their indexes (correlated sums), so the plan
 * does not depend on fresh statistics right after a bulk import.
 */
export const CUSTOMER_BALANCES_SQL = `
WITH items AS (
  SELECT i.customer_external_id AS ref, i.currency,
         CASE WHEN i.kind = 'invoice'
              THEN i.total_minor - COALESCE((SELECT sum(a.amount_minor) FROM allocations a
                                              WHERE a.invoice_id = i.id AND a.deleted_at IS NULL), 0)
              ELSE -(i.total_minor - COALESCE((SELECT sum(a.amount_minor) FROM allocations a
                                                WHERE a.credit_note_id = i.id AND a.deleted_at IS NULL), 0))
         END AS amount
    FROM invoices i
   WHERE i.tenant_id = $1 AND i.connection_id = $2 AND i.deleted_at IS NULL AND i.status NOT IN ('void', 'deleted')
  UNION ALL
  SELECT p.customer_external_id, p.currency,
         -(p.amount_minor - COALESCE((SELECT sum(a.amount_minor) FROM allocations a
                                       WHERE a.payment_id = p.id AND a.deleted_at IS NULL), 0))
    FROM payments p
   WHERE p.tenant_id = $1 AND p.connection_id = $2 AND p.deleted_at IS NULL
),
totals AS MATERIALIZED (SELECT ref, currency, sum(amount) AS outstanding FROM items GROUP BY ref, currency),
known AS MATERIALIZED (
  SELECT c.external_id, c.name, c.currency FROM customers c
   WHERE c.tenant_id = $1 AND c.connection_id = $2 AND c.deleted_at IS NULL
)
SELECT k.external_id AS customer_ref, k.name, COALESCE(t.currency, k.currency, 'EUR') AS currency,
       COALESCE(t.outstanding, 0)::text AS outstanding_minor
  FROM known k
  LEFT JOIN totals t ON t.ref = k.external_id
UNION ALL
SELECT t.ref, t.ref, t.currency, t.outstanding::text
  FROM totals t
 WHERE t.ref NOT IN (SELECT external_id FROM known)
ORDER BY 1, 3`;
