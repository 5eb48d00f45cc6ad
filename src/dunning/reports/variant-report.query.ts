/**
 * A/B testing of policy variants: per policy and variant, the invoices reminded, how many are
 * paid since, and the average days from the first reminder to full payment (last allocation
 * date of an invoice whose allocations cover its total). $1 tenant, $2 policy id or null.
 */
export const VARIANT_REPORT = `
WITH first AS (
  SELECT r.invoice_id, r.policy_id, r.variant, min(r.as_of) AS first_at
    FROM dunning_reminders r
   WHERE r.tenant_id = $1 AND r.variant IS NOT NULL AND ($2::uuid IS NULL OR r.policy_id = $2)
   GROUP BY r.invoice_id, r.policy_id, r.variant
), settled AS (
  SELECT f.policy_id, f.variant, f.first_at, i.total_minor, al.allocated, al.last_date
    FROM first f
    JOIN invoices i ON i.id = f.invoice_id AND i.tenant_id = $1
    LEFT JOIN LATERAL (
      SELECT COALESCE(sum(a.amount_minor), 0)::bigint AS allocated, max(a.date) AS last_date
        FROM allocations a WHERE a.invoice_id = f.invoice_id AND a.deleted_at IS NULL
    ) al ON true
)
SELECT s.policy_id, p.name AS policy_name, s.variant, count(*)::int AS invoices,
       (count(*) FILTER (WHERE s.allocated >= s.total_minor))::int AS paid,
       round(avg(s.last_date - s.first_at) FILTER (WHERE s.allocated >= s.total_minor), 1)::text AS avg_days_to_pay
  FROM settled s JOIN dunning_policies p ON p.id = s.policy_id
 GROUP BY s.policy_id, p.name, s.variant
 ORDER BY p.name, s.variant`;
