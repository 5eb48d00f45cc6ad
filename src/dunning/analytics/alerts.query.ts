import { paidByPaymentAsOf, perView } from './open-items.query';

/** Extra days past due, beyond a customer's own habit, before "paying later than usual" is raised. */
export const HABIT_TOLERANCE_DAYS = 15;
/** Invoices paid in the last 365 days needed before a customer has a habit. */
export const HABIT_MIN_INVOICES = 3;

/**
 * Every alert condition holding as of `$2`: one row (kind, key, customer, currency,
 * figures) per condition. Minor-unit figures are JSON numbers.
 *
 * `paid_by_payment` (the tenant's allocations from payments in force at the date, with the
 * payment date) is read once: the habit is its last 365 days, and a partly paid invoice
 * found in it is paid by a payment without probing its allocations one invoice at a time;
 * the probe (paidByPaymentAsOf) still decides for the invoices not found there.
 */
export const ALERT_CONDITIONS_SQL = perView((ctes) => `
  WITH ${ctes},
  paid_by_payment AS MATERIALIZED (
    SELECT a.invoice_id, a.amount_minor, p.date AS pay_date
      FROM allocations a
      JOIN payments p ON p.id = a.payment_id
     WHERE a.tenant_id = $1 AND a.deleted_at IS NULL AND a.date <= $2::date AND p.deleted_at IS NULL AND p.date <= $2::date
  ),
  habit AS (
    SELECT i.customer_id,
           round(sum(pp.amount_minor * (pp.pay_date - COALESCE(i.due_date, i.issue_date)))::numeric / NULLIF(sum(pp.amount_minor), 0), 1) AS days,
           count(DISTINCT i.id) AS invoices
      FROM paid_by_payment pp
      JOIN invoices i ON i.id = pp.invoice_id
     WHERE i.kind = 'invoice' AND i.deleted_at IS NULL AND i.status NOT IN ('void', 'deleted')
       AND pp.pay_date > $2::date - 365 AND i.customer_id IS NOT NULL
     GROUP BY i.customer_id
    HAVING count(DISTINCT i.id) >= ${HABIT_MIN_INVOICES}
  ),
  late_vs_habit AS (
    SELECT 'late_vs_habit'::text AS kind, o.customer_id::text AS key, o.customer_id, NULL::text AS currency,
           jsonb_build_object('habitDaysBeyondTerms', h.days, 'maxDaysPastDue', max($2::date - o.ref_date),
                              'toleranceDays', ${HABIT_TOLERANCE_DAYS}, 'invoices', count(*),
                              'paidInvoicesInHabit', h.invoices) AS figures
      FROM open_items o
      JOIN habit h ON h.customer_id = o.customer_id
     WHERE o.doc_type = 'invoice' AND o.open_minor > 0 AND ($2::date - o.ref_date) > GREATEST(h.days, 0) + ${HABIT_TOLERANCE_DAYS}
     GROUP BY o.customer_id, h.days, h.invoices
  ),
  partial AS (
    SELECT 'partial_payment'::text, o.doc_id::text, o.customer_id, o.currency::text,
           jsonb_build_object('invoiceId', o.doc_id, 'number', i.number, 'totalMinor', o.total_minor,
                              'paidMinor', o.total_minor - o.open_minor, 'openMinor', o.open_minor, 'dueDate', to_char(o.ref_date, 'YYYY-MM-DD'))
      FROM open_items o
      JOIN invoices i ON i.id = o.doc_id
     WHERE o.doc_type = 'invoice' AND o.open_minor > 0 AND o.open_minor < o.total_minor
       AND (o.doc_id IN (SELECT invoice_id FROM paid_by_payment) OR ${paidByPaymentAsOf('o.doc_id')})
  ),
  unallocated AS (
    SELECT 'unallocated'::text, o.doc_id::text, o.customer_id, o.currency::text,
           jsonb_build_object('type', o.doc_type, 'id', o.doc_id, 'date', to_char(o.ref_date, 'YYYY-MM-DD'),
                              'amountMinor', o.total_minor, 'unallocatedMinor', -o.open_minor)
      FROM open_items o
     WHERE o.doc_type <> 'invoice' AND o.open_minor < 0
  ),
  over_limit AS (
    SELECT 'over_credit_limit'::text, c.id || ':' || x.currency, c.id, x.currency::text,
           jsonb_build_object('encoursMinor', x.total, 'creditLimitMinor', c.credit_limit_minor, 'overMinor', x.total - c.credit_limit_minor)
      FROM (SELECT customer_id, currency, sum(open_minor) AS total FROM open_items WHERE customer_id IS NOT NULL GROUP BY customer_id, currency) x
      JOIN customers c ON c.id = x.customer_id AND c.tenant_id = $1
     WHERE c.credit_limit_minor IS NOT NULL AND (c.currency IS NULL OR c.currency = x.currency) AND x.total > c.credit_limit_minor
  ),
  broken AS (
    SELECT 'broken_promise'::text, pp.id::text, pp.customer_id, pp.currency::text,
           jsonb_build_object('promiseId', pp.id, 'promisedDate', to_char(pp.promised_date, 'YYYY-MM-DD'), 'graceDays', pp.grace_days,
                              'amountMinor', pp.amount_minor, 'paidMinor', COALESCE(paid.s, 0))
      FROM payment_promises pp
      LEFT JOIN LATERAL (
        SELECT sum(p.amount_minor) AS s FROM payments p
         WHERE p.tenant_id = $1 AND p.customer_id = pp.customer_id AND p.currency = pp.currency AND p.deleted_at IS NULL
           AND p.date >= pp.created_at::date AND p.date <= pp.promised_date + pp.grace_days AND p.date <= $2::date
      ) paid ON true
     WHERE pp.tenant_id = $1 AND pp.promised_date <= $2::date
       AND (pp.status = 'broken'
            OR (pp.status = 'pending' AND pp.promised_date + pp.grace_days < $2::date AND COALESCE(paid.s, 0) < pp.amount_minor))
  )
  SELECT * FROM late_vs_habit
  UNION ALL SELECT * FROM partial
  UNION ALL SELECT * FROM unallocated
  UNION ALL SELECT * FROM over_limit
  UNION ALL SELECT * FROM broken`);
