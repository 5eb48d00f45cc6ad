import { perView } from './open-items.query';

/** Months of sales walked back by the countback method. */
export const COUNTBACK_MONTHS = 12;

const monthStart = (k: number) => `($2::date - interval '${k} months')::date`;
/**
 * The credit sales of each month walking back from `$2` and the days in each, as comma-separated
 * text (the service splits it: far cheaper for the client than parsing a Postgres array per row).
 */
const monthSales = `concat_ws(',', ${Array.from(
  { length: COUNTBACK_MONTHS },
  (_, i) => `COALESCE(sum(signed) FILTER (WHERE issue_date > ${monthStart(i + 1)} AND issue_date <= ${monthStart(i)}), 0)`,
).join(',\n           ')})`;
const monthDays = `concat_ws(',', ${Array.from({ length: COUNTBACK_MONTHS }, (_, i) => `${monthStart(i)} - ${monthStart(i + 1)}`).join(', ')})`;

/** Invoices and credit notes issued in the period or the countback year, by `$2`. */
const PERIOD_DOCS = `tenant_id = $1 AND deleted_at IS NULL AND status NOT IN ('void', 'deleted') AND issue_date <= $2::date
       AND issue_date > LEAST($3::date - 1, ${monthStart(COUNTBACK_MONTHS)})`;
const SIGNED = `CASE WHEN kind = 'invoice' THEN total_minor ELSE -total_minor END`;

/** Payments of the period and the one before applied to invoices (`a`, `i`, `p`), and their weighted sums. */
const PAID_FROM = `FROM allocations a
      JOIN invoices i ON i.id = a.invoice_id
      JOIN payments p ON p.id = a.payment_id
     WHERE a.tenant_id = $1 AND a.deleted_at IS NULL AND a.date <= $2::date
       AND i.tenant_id = $1 AND i.kind = 'invoice' AND i.deleted_at IS NULL AND i.status NOT IN ('void', 'deleted')
       AND p.deleted_at IS NULL AND p.date >= $4::date AND p.date <= $2::date`;
const PAID_SUMS = `COALESCE(sum(a.amount_minor) FILTER (WHERE p.date >= $3::date), 0) AS w,
           COALESCE(sum(a.amount_minor * (p.date - i.issue_date)) FILTER (WHERE p.date >= $3::date), 0) AS wd,
           COALESCE(sum(a.amount_minor) FILTER (WHERE p.date < $3::date), 0) AS prev_w,
           COALESCE(sum(a.amount_minor * (p.date - i.issue_date)) FILTER (WHERE p.date < $3::date), 0) AS prev_wd`;

/**
 * DSO inputs per customer and currency. `$1` tenant, `$2` period end (the as-of date),
 * `$3` period start (inclusive), `$4` start of the previous period of the same length.
 * - receivables and current (not yet due) receivables at the period end;
 * - credit sales (invoices − credit notes issued) over the period, and per calendar-length
 *   month walking back from the period end (countback);
 * - payments applied to invoices, weighted by amount: Σ amount and Σ amount × days from
 *   issue to payment, over the period and over the previous one.
 */
export const DSO_SQL = perView((ctes) => `
  WITH ${ctes},
  ar AS (
    SELECT connection_id, customer_external_id, currency, sum(open_minor) AS receivables,
           COALESCE(sum(open_minor) FILTER (WHERE doc_type = 'invoice' AND ref_date >= $2::date), 0) AS current_ar
      FROM open_items WHERE open_minor <> 0
     GROUP BY connection_id, customer_external_id, currency
  ),
  period_docs AS (
    SELECT connection_id, customer_external_id, currency, issue_date, ${SIGNED} AS signed
      FROM invoices WHERE ${PERIOD_DOCS}
  ),
  sales AS (
    SELECT connection_id, customer_external_id, currency,
           COALESCE(sum(signed) FILTER (WHERE issue_date >= $3::date), 0) AS period_sales,
           ${monthSales} AS month_sales
      FROM period_docs GROUP BY connection_id, customer_external_id, currency
  ),
  paid AS (
    SELECT i.connection_id, i.customer_external_id, i.currency,
           ${PAID_SUMS}
      ${PAID_FROM}
     GROUP BY i.connection_id, i.customer_external_id, i.currency
  ),
  -- One row per customer and currency with any of the three, by hash full joins (no union of keys joined back to each).
  keyed AS (
    SELECT COALESCE(s.connection_id, pd.connection_id, ar.connection_id) AS connection_id,
           COALESCE(s.customer_external_id, pd.customer_external_id, ar.customer_external_id) AS customer_ref,
           COALESCE(s.currency, pd.currency, ar.currency) AS currency,
           ar.receivables, ar.current_ar, s.period_sales, s.month_sales, pd.w, pd.wd, pd.prev_w, pd.prev_wd
      FROM sales s
      FULL JOIN paid pd ON pd.connection_id = s.connection_id AND pd.customer_external_id = s.customer_external_id AND pd.currency = s.currency
      FULL JOIN ar ON ar.connection_id = COALESCE(s.connection_id, pd.connection_id) AND ar.customer_external_id = COALESCE(s.customer_external_id, pd.customer_external_id)
                  AND ar.currency = COALESCE(s.currency, pd.currency)
  )
  SELECT k.connection_id, k.customer_ref, c.id AS customer_id,
         COALESCE(c.name, k.customer_ref) AS name, k.currency,
         COALESCE(k.receivables, 0)::text AS receivables, COALESCE(k.current_ar, 0)::text AS current_ar,
         COALESCE(k.period_sales, 0)::text AS period_sales, k.month_sales,
         COALESCE(k.w, 0)::text AS w, COALESCE(k.wd, 0)::text AS wd, COALESCE(k.prev_w, 0)::text AS prev_w, COALESCE(k.prev_wd, 0)::text AS prev_wd,
         ${monthDays} AS month_days
    FROM keyed k
    LEFT JOIN customers c ON c.tenant_id = $1 AND c.connection_id = k.connection_id AND c.external_id = k.customer_ref
   ORDER BY name, customer_ref, k.currency`);

/**
 * The report's tenant lines (the sums of DSO_SQL's rows per currency), same parameters, for
 * the `current` view: the open amounts are read through the partial indexes, the credit sales
 * summed per currency and day before their months, only the payments of the two periods joined
 * to their invoices, no row per customer. Beyond `current`, DSO_TENANT_SQL is cheaper (it reads
 * no open amount at the date): on the bench:receivables database three days back, 0.7 s
 * against 1.4 s for this query's `recent` and `historical` texts.
 */
export const DSO_TOTALS_SQL = perView((ctes) => `
  WITH ${ctes},
  ar AS (
    SELECT currency, sum(open_minor) AS receivables,
           COALESCE(sum(open_minor) FILTER (WHERE doc_type = 'invoice' AND ref_date >= $2::date), 0) AS current_ar
      FROM open_items WHERE open_minor <> 0
     GROUP BY currency
  ),
  period_docs AS (
    SELECT currency, issue_date, sum(${SIGNED}) AS signed FROM invoices WHERE ${PERIOD_DOCS} GROUP BY currency, issue_date
  ),
  sales AS (
    SELECT currency, COALESCE(sum(signed) FILTER (WHERE issue_date >= $3::date), 0) AS period_sales, ${monthSales} AS month_sales
      FROM period_docs GROUP BY currency
  ),
  paid AS (
    SELECT i.currency,
           ${PAID_SUMS}
      ${PAID_FROM}
     GROUP BY i.currency
  )
  SELECT COALESCE(s.currency, pd.currency, ar.currency)::text AS currency,
         COALESCE(ar.receivables, 0)::text AS receivables, COALESCE(ar.current_ar, 0)::text AS current_ar,
         COALESCE(s.period_sales, 0)::text AS period_sales, s.month_sales,
         COALESCE(pd.w, 0)::text AS w, COALESCE(pd.wd, 0)::text AS wd, COALESCE(pd.prev_w, 0)::text AS prev_w, COALESCE(pd.prev_wd, 0)::text AS prev_wd,
         ${monthDays} AS month_days
    FROM sales s
    FULL JOIN paid pd ON pd.currency = s.currency
    FULL JOIN ar ON ar.currency = COALESCE(s.currency, pd.currency)`);
