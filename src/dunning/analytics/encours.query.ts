import { perView } from './open-items.query';

/**
 * Outstanding per customer and currency as of `$2`: not yet due, overdue, unallocated
 * credits (negative) and the part under an open dispute. `$3` optional connection id, `$4` optional customer id.
 * A dispute counts while opened on or before the date and not resolved by then; its
 * amount (or, when null, the invoice's whole open amount) is capped at the open amount.
 */
const DISPUTED_CTE = `
  disputed AS (
    SELECT d.invoice_id, CASE WHEN bool_or(d.amount_minor IS NULL) THEN NULL ELSE sum(d.amount_minor) END AS amount
      FROM disputes d
     WHERE d.tenant_id = $1 AND d.opened_at::date <= $2::date AND (d.resolved_at IS NULL OR d.resolved_at::date > $2::date)
     GROUP BY d.invoice_id
  )`;

export const ENCOURS_SQL = perView((ctes) => `
  WITH ${ctes},${DISPUTED_CTE},
  per_customer AS (
    SELECT o.connection_id, o.customer_external_id, o.currency,
           sum(o.open_minor) AS total,
           sum(o.open_minor) FILTER (WHERE o.doc_type = 'invoice' AND o.ref_date >= $2::date) AS not_due,
           sum(o.open_minor) FILTER (WHERE o.doc_type = 'invoice' AND o.ref_date < $2::date) AS overdue,
           sum(o.open_minor) FILTER (WHERE o.doc_type <> 'invoice') AS unallocated,
           sum(LEAST(o.open_minor, COALESCE(ds.amount, o.open_minor))) FILTER (WHERE ds.invoice_id IS NOT NULL AND o.open_minor > 0) AS disputed,
           count(*) FILTER (WHERE o.doc_type = 'invoice' AND o.open_minor > 0) AS open_invoices
      FROM open_items o
      LEFT JOIN disputed ds ON ds.invoice_id = o.doc_id AND o.doc_type = 'invoice'
     WHERE o.open_minor <> 0 AND ($3::uuid IS NULL OR o.connection_id = $3::uuid) AND ($4::uuid IS NULL OR o.customer_id = $4::uuid)
     GROUP BY o.connection_id, o.customer_external_id, o.currency
  )
  SELECT pc.connection_id, cx.name AS connection_name, pc.customer_external_id AS customer_ref, c.id AS customer_id,
         COALESCE(c.name, pc.customer_external_id) AS name, c.company, pc.currency,
         pc.total::text AS total, COALESCE(pc.not_due, 0)::text AS not_due, COALESCE(pc.overdue, 0)::text AS overdue,
         COALESCE(pc.unallocated, 0)::text AS unallocated, COALESCE(pc.disputed, 0)::text AS disputed,
         pc.open_invoices::int AS open_invoices,
         CASE WHEN c.currency IS NULL OR c.currency = pc.currency THEN c.credit_limit_minor::text END AS credit_limit
    FROM per_customer pc
    JOIN connections cx ON cx.id = pc.connection_id AND cx.tenant_id = $1
    LEFT JOIN customers c ON c.tenant_id = $1 AND c.connection_id = pc.connection_id AND c.external_id = pc.customer_external_id
   ORDER BY name, customer_ref, pc.connection_id, pc.currency`);

/**
 * The tenant totals of ENCOURS_SQL per currency (the sums of its customer rows), without the
 * per-customer rows: what dashboards ask for (`detail=totals`). Same parameters.
 */
export const ENCOURS_TOTALS_SQL = perView((ctes) => `
  WITH ${ctes},${DISPUTED_CTE}
  SELECT o.currency,
         sum(o.open_minor)::text AS total,
         COALESCE(sum(o.open_minor) FILTER (WHERE o.doc_type = 'invoice' AND o.ref_date >= $2::date), 0)::text AS not_due,
         COALESCE(sum(o.open_minor) FILTER (WHERE o.doc_type = 'invoice' AND o.ref_date < $2::date), 0)::text AS overdue,
         COALESCE(sum(o.open_minor) FILTER (WHERE o.doc_type <> 'invoice'), 0)::text AS unallocated,
         COALESCE(sum(LEAST(o.open_minor, COALESCE(ds.amount, o.open_minor))) FILTER (WHERE ds.invoice_id IS NOT NULL AND o.open_minor > 0), 0)::text AS disputed
    FROM open_items o
    JOIN connections cx ON cx.id = o.connection_id AND cx.tenant_id = $1
    LEFT JOIN disputed ds ON ds.invoice_id = o.doc_id AND o.doc_type = 'invoice'
   WHERE o.open_minor <> 0 AND ($3::uuid IS NULL OR o.connection_id = $3::uuid) AND ($4::uuid IS NULL OR o.customer_id = $4::uuid)
   GROUP BY o.currency
   ORDER BY o.currency`);
