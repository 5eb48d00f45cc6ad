import { perView } from './open-items.query';
import { BEHAVIOUR_ALLOCATIONS } from './payment-behaviour.query';

/**
 * Scoring figures per customer as of `$2`, over the 365 days up to it. `$3` optional
 * customer id. Lateness mixes paid invoices (payment date − due date, never below 0,
 * weighted by the amount allocated) and open overdue invoices (as-of − due date, weighted
 * by the open amount); weights are minor units of each document's own currency. A promise
 * counts as broken when marked so, or when still pending after its date + grace days without
 * payments covering it (same rule as the broken-promise alert).
 */
export const PAYER_SCORE_SQL = perView((ctes) => `
  WITH ${ctes},
  open_rows AS (
    SELECT customer_id, currency, doc_type, doc_id, ref_date, open_minor FROM open_items
     WHERE customer_id IS NOT NULL AND ($3::uuid IS NULL OR customer_id = $3::uuid)
  ),
  paid AS (
    SELECT a.invoice_customer_id AS customer_id, a.amount_minor AS w, GREATEST(a.payment_date - a.invoice_ref_date, 0) AS late,
           a.invoice_id, a.payment_date > a.invoice_ref_date AS is_late
      FROM ${BEHAVIOUR_ALLOCATIONS}
  ),
  open_late AS (
    SELECT customer_id, open_minor AS w, ($2::date - ref_date) AS late, doc_id AS invoice_id, true AS is_late
      FROM open_rows
     WHERE doc_type = 'invoice' AND open_minor > 0 AND ref_date < $2::date
  ),
  behaviour AS (
    SELECT customer_id, sum(w) AS weight, sum(w * late) AS weighted_late,
           count(DISTINCT invoice_id) AS invoices, count(DISTINCT invoice_id) FILTER (WHERE is_late) AS late_invoices
      FROM (SELECT * FROM paid UNION ALL SELECT * FROM open_late) x
     GROUP BY customer_id
  ),
  exposure AS (
    SELECT o.customer_id, max(round(sum_open * 100.0 / c.credit_limit_minor, 1)) AS percent, max(sum_open) AS encours
      FROM (SELECT customer_id, currency, sum(open_minor) AS sum_open FROM open_rows GROUP BY customer_id, currency) o
      JOIN customers c ON c.id = o.customer_id AND c.tenant_id = $1
     WHERE c.credit_limit_minor > 0 AND (c.currency IS NULL OR c.currency = o.currency)
     GROUP BY o.customer_id
  ),
  promises AS (
    SELECT pp.customer_id, count(*) AS broken FROM payment_promises pp
      LEFT JOIN LATERAL (
        SELECT sum(p.amount_minor) AS s FROM payments p
         WHERE p.tenant_id = $1 AND p.customer_id = pp.customer_id AND p.currency = pp.currency AND p.deleted_at IS NULL
           AND p.date >= pp.created_at::date AND p.date <= pp.promised_date + pp.grace_days AND p.date <= $2::date
      ) paid ON pp.status = 'pending'
     WHERE pp.tenant_id = $1 AND pp.promised_date > $2::date - 365 AND pp.promised_date <= $2::date
       AND (pp.status = 'broken'
            OR (pp.status = 'pending' AND pp.promised_date + pp.grace_days < $2::date AND COALESCE(paid.s, 0) < pp.amount_minor))
       AND ($3::uuid IS NULL OR pp.customer_id = $3::uuid)
     GROUP BY pp.customer_id
  ),
  dispute_counts AS (
    SELECT customer_id, count(*) AS n FROM disputes
     WHERE tenant_id = $1 AND opened_at::date > $2::date - 365 AND opened_at::date <= $2::date
       AND ($3::uuid IS NULL OR customer_id = $3::uuid)
     GROUP BY customer_id
  )
  SELECT c.id AS customer_id, c.external_id AS customer_ref, c.name, c.connection_id,
         COALESCE(round(b.weighted_late::numeric / NULLIF(b.weight, 0), 1), 0)::text AS avg_days_beyond_terms,
         COALESCE(b.late_invoices, 0)::int AS late_invoices, COALESCE(b.invoices, 0)::int AS invoices,
         COALESCE(pr.broken, 0)::int AS broken_promises, COALESCE(dc.n, 0)::int AS disputes,
         e.percent::text AS exposure_percent
    FROM customers c
    LEFT JOIN behaviour b ON b.customer_id = c.id
    LEFT JOIN exposure e ON e.customer_id = c.id
    LEFT JOIN promises pr ON pr.customer_id = c.id
    LEFT JOIN dispute_counts dc ON dc.customer_id = c.id
   WHERE c.tenant_id = $1 AND c.deleted_at IS NULL AND ($3::uuid IS NULL OR c.id = $3::uuid)
   ORDER BY c.name, c.id`);
