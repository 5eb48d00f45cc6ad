import { perView } from './open-items.query';

/**
 * Open amounts per customer, currency and aging bucket as of `$2`. `$3` are the
 * width_bucket thresholds (bucket 0 = current), `$4` an optional connection id.
 */
const GROUPED_CTE = `
  grouped AS (
    SELECT connection_id, customer_external_id, currency,
           width_bucket(($2::date - ref_date), $3::int[]) AS bucket, sum(open_minor) AS amount
      FROM open_items
     WHERE open_minor <> 0 AND ($4::uuid IS NULL OR connection_id = $4::uuid)
     GROUP BY connection_id, customer_external_id, currency, bucket
  )`;

export const AGED_BALANCE_SQL = perView((ctes) => `
  WITH ${ctes},${GROUPED_CTE}
  SELECT g.connection_id, g.customer_external_id AS customer_ref, c.id AS customer_id,
         COALESCE(c.name, g.customer_external_id) AS name, g.currency, g.bucket, g.amount::text AS amount
    FROM grouped g
    LEFT JOIN customers c ON c.tenant_id = $1 AND c.connection_id = g.connection_id AND c.external_id = g.customer_external_id
   ORDER BY name, customer_ref, g.connection_id, g.currency, g.bucket`);

/**
 * The totals of AGED_BALANCE_SQL per currency and bucket (`kind` 'total'), and the buckets of
 * its `$5` rows with the largest totals (`kind` 'row', `rank` from 1; rows whose buckets are
 * all 0 left out, ties in the report's order), without sending every customer's rows: what
 * dashboards ask for (`top`). Same parameters, and `$5` the number of rows.
 */
export const AGED_BALANCE_TOP_SQL = perView((ctes) => `
  WITH ${ctes},${GROUPED_CTE},
  per_row AS (
    SELECT connection_id, customer_external_id, currency, sum(amount) AS total
      FROM grouped GROUP BY connection_id, customer_external_id, currency HAVING bool_or(amount <> 0)
  ),
  top_rows AS (
    SELECT r.connection_id, r.customer_external_id, r.currency, COALESCE(c.name, r.customer_external_id) AS name,
           row_number() OVER (ORDER BY r.total DESC, COALESCE(c.name, r.customer_external_id), r.customer_external_id, r.connection_id, r.currency) AS rank
      FROM per_row r
      LEFT JOIN customers c ON c.tenant_id = $1 AND c.connection_id = r.connection_id AND c.external_id = r.customer_external_id
     ORDER BY rank LIMIT $5
  )
  SELECT 'total' AS kind, NULL::bigint AS rank, NULL AS customer_ref, NULL AS name, currency, bucket, sum(amount)::text AS amount
    FROM grouped GROUP BY currency, bucket
  UNION ALL
  SELECT 'row', t.rank, t.customer_external_id, t.name, t.currency, g.bucket, g.amount::text
    FROM top_rows t
    JOIN grouped g ON g.connection_id = t.connection_id AND g.customer_external_id = t.customer_external_id AND g.currency = t.currency`);
