import { perView } from './open-items.query';
import { BEHAVIOUR_ALLOCATIONS } from './payment-behaviour.query';

export const FORECAST_WEEKS = 13;

/**
 * Expected receipts per currency and week as of `$2` (`$3` optional customer). Each open
 * invoice is expected on its due date shifted by its customer's habit — days beyond terms
 * weighted by amount over the 365 days before, 0 without history — and never before the
 * as-of date. Week 1 starts on the as-of date; `week` 0 stands for "later than 13 weeks";
 * invoices under an open dispute are left out (`disputed`).
 */
export const FORECAST_SQL = perView((ctes) => `
  WITH ${ctes},
  habit AS (
    SELECT a.invoice_customer_id AS customer_id,
           round(sum(a.amount_minor * (a.payment_date - a.invoice_ref_date))::numeric / NULLIF(sum(a.amount_minor), 0))::int AS days
      FROM ${BEHAVIOUR_ALLOCATIONS}
     GROUP BY a.invoice_customer_id
  ),
  disputed AS (
    SELECT DISTINCT invoice_id FROM disputes
     WHERE tenant_id = $1 AND opened_at::date <= $2::date AND (resolved_at IS NULL OR resolved_at::date > $2::date)
  ),
  expected AS (
    SELECT o.currency, o.open_minor, d.invoice_id IS NOT NULL AS is_disputed,
           GREATEST(o.ref_date + COALESCE(h.days, 0), $2::date) AS expected_on
      FROM open_items o
      LEFT JOIN habit h ON h.customer_id = o.customer_id
      LEFT JOIN disputed d ON d.invoice_id = o.doc_id
     WHERE o.doc_type = 'invoice' AND o.open_minor > 0 AND ($3::uuid IS NULL OR o.customer_id = $3::uuid)
  )
  SELECT currency,
         CASE WHEN is_disputed THEN -1 WHEN (expected_on - $2::date) / 7 >= ${FORECAST_WEEKS} THEN 0 ELSE (expected_on - $2::date) / 7 + 1 END AS week,
         sum(open_minor)::text AS amount, count(*)::int AS invoices
    FROM expected
   GROUP BY currency, week
   ORDER BY currency, week`);
