import { perView } from './open-items.query';

/**
 * Open amounts per customer, currency and aging bucket as of `$2`. `$3` are the
 * width_bucket thresholds (bucket 0 = current), `$4` an optional connection id.
 */
export const AGED_BALANCE_SQL = perView((ctes) => `
  WITH ${ctes},
  grouped AS (
    SELECT connection_id, customer_external_id, currency,
           width_bucket(($2::date - ref_date), $3::int[]) AS bucket, sum(open_minor) AS amount
      FROM open_items
     WHERE open_minor <> 0 AND ($4::uuid IS NULL OR connection_id = $4::uuid)
     GROUP BY connection_id, customer_external_id, currency, bucket
  )
  SELECT g.connection_id, g.customer_external_id AS customer_ref, c.id AS customer_id,
         COALESCE(c.name, g.customer_external_id) AS name, g.currency, g.bucket, g.amount::text AS amount
    FROM grouped g
    LEFT JOIN customers c ON c.tenant_id = $1 AND c.connection_id = g.connection_id AND c.external_id = g.customer_external_id
   ORDER BY name, customer_ref, g.connection_id, g.currency, g.bucket`);
