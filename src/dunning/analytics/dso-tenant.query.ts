import { COUNTBACK_MONTHS } from './dso.query';

const monthStart = (k: number) => `(n.e - interval '${k} months')::date`;
/** As in dso.query.ts, comma-separated text. */
const monthSales = `concat_ws(',', ${Array.from(
  { length: COUNTBACK_MONTHS },
  (_, i) => `COALESCE(sum(x.signed) FILTER (WHERE x.d > ${monthStart(i + 1)} AND x.d <= ${monthStart(i)}), 0)`,
).join(', ')})`;
const monthDays = `concat_ws(',', ${Array.from({ length: COUNTBACK_MONTHS }, (_, i) => `${monthStart(i)} - ${monthStart(i + 1)}`).join(', ')})`;

/**
 * The tenant's DSO inputs at one or more period ends in one pass, per currency: what the DSO
 * report (dso.query.ts) sums over its customers, without reading every document's open amount
 * at every date. `$1` tenant, `$2` the period ends (date[]), `$3` the period length in days,
 * `$4` whether to sum the payments applied (days to pay; the 12-month trend does without).
 * The invoices are grouped once by kind and dates, the payments by date, and the allocations
 * in force are joined to their ends once (`alloc_groups`, hash joins), shared by the three
 * sums below that need them.
 *
 * - receivables at E: the open items of a customer sum to invoices − credit notes − payments
 *   in force at E, since an allocation between an invoice and a payment or a credit note takes
 *   the same amount off both; so per currency it is the cumulated signed totals by date, plus
 *   `odd`, the allocations whose two ends do not offset (a credit note in the invoice column,
 *   an invoice in the credit-note column), counted from the date all of it is in force;
 * - current receivables at E: invoices issued by E and due on or after it, less their
 *   allocations in force at E (dated by E, both ends in force at E, as the historical view);
 * - credit sales over the period [E − days + 1, E] and per month walking back (countback);
 * - payments applied to invoices over the period and the one before, as the report's `paid`.
 * A currency gets a line at E when the report would have a row for it: a document issued in
 * the countback year, else a payment applied in the two periods, else an open item at E (the
 * last two checked only for currencies without the first, rarely any).
 */
export const DSO_TENANT_SQL = `
  WITH ends AS (
    SELECT e::date AS e, e::date - ($3::int - 1) AS f, (e::date - interval '12 months')::date AS year_ago FROM unnest($2::date[]) e
  ),
  -- Invoices and credit notes by currency, kind and dates (few groups), read once: the signed
  -- totals by issue date and the invoices not yet due at each E come from it.
  doc_groups AS MATERIALIZED (
    SELECT currency, kind = 'invoice' AS is_invoice, issue_date, COALESCE(due_date, issue_date) AS due, sum(total_minor) AS total
      FROM invoices
     WHERE tenant_id = $1 AND deleted_at IS NULL AND status NOT IN ('void', 'deleted')
     GROUP BY currency, kind = 'invoice', issue_date, COALESCE(due_date, issue_date)
  ),
  doc_days AS (
    SELECT currency, issue_date AS d, sum(CASE WHEN is_invoice THEN total ELSE -total END) AS signed
      FROM doc_groups GROUP BY currency, issue_date
  ),
  pay_days AS (
    SELECT currency, date AS d, sum(amount_minor) AS amount
      FROM payments WHERE tenant_id = $1 AND deleted_at IS NULL
     GROUP BY currency, date
  ),
  booked AS (
    SELECT n.e, x.currency, sum(x.signed) AS signed, COALESCE(sum(x.signed) FILTER (WHERE x.d >= n.f), 0) AS period_sales,
           bool_or(x.d > LEAST(n.f - 1, n.year_ago)) AS has_sales, ${monthSales} AS month_sales
      FROM ends n JOIN doc_days x ON x.d <= n.e
     GROUP BY n.e, x.currency
  ),
  paid_in AS (
    SELECT n.e, y.currency, sum(y.amount) AS amount FROM ends n JOIN pay_days y ON y.d <= n.e GROUP BY n.e, y.currency
  ),
  -- The allocations in force today joined to their ends once (hash joins) and summed by
  -- currencies, kinds and dates (few groups: many allocations share them), then each group
  -- giving the sums below what they need, grouped by dates: \`d\` is the date from which all
  -- of an allocation is in force (in force at E: one of these with d <= E).
  -- - 'applied' (with $4): payments applied to invoices, by payment and allocation date;
  -- - 'not_due': by d and the due date of an invoice in the invoice column, or of an invoice
  --   in the credit-note column (reduced by the allocation too);
  -- - 'odd': the allocations whose ends do not offset (a credit note in the invoice column,
  --   an invoice in the credit-note column), with the net they add to the receivables.
  alloc_dates AS (
    SELECT currency, inv_is_invoice, inv_issue, inv_due, pd, ad, d, cn_currency, cn_is_invoice, cn_due, sum(amount_minor) AS amount
      FROM (
        SELECT a.amount_minor, a.date AS ad, GREATEST(a.date, inv.issue_date, pay.date) AS d, pay.date AS pd,
               inv.currency, inv.kind = 'invoice' AS inv_is_invoice, inv.issue_date AS inv_issue, COALESCE(inv.due_date, inv.issue_date) AS inv_due,
               NULL::character(3) AS cn_currency, false AS cn_is_invoice, NULL::date AS cn_due
          FROM allocations a
          JOIN invoices inv ON inv.id = a.invoice_id
          JOIN payments pay ON pay.id = a.payment_id
         WHERE a.tenant_id = $1 AND a.deleted_at IS NULL AND a.payment_id IS NOT NULL
           AND inv.tenant_id = $1 AND inv.deleted_at IS NULL AND inv.status NOT IN ('void', 'deleted') AND pay.deleted_at IS NULL
           AND ($4::boolean OR inv.kind <> 'invoice' OR a.date <= COALESCE(inv.due_date, inv.issue_date))
        UNION ALL
        SELECT a.amount_minor, a.date, GREATEST(a.date, inv.issue_date, cn.issue_date), NULL,
               inv.currency, inv.kind = 'invoice', inv.issue_date, COALESCE(inv.due_date, inv.issue_date),
               cn.currency, cn.kind = 'invoice', COALESCE(cn.due_date, cn.issue_date)
          FROM allocations a
          JOIN invoices inv ON inv.id = a.invoice_id
          JOIN invoices cn ON cn.id = a.credit_note_id
         WHERE a.credit_note_id IS NOT NULL AND a.payment_id IS NULL AND a.tenant_id = $1 AND a.deleted_at IS NULL
           AND inv.tenant_id = $1 AND inv.deleted_at IS NULL AND inv.status NOT IN ('void', 'deleted')
           AND cn.tenant_id = $1 AND cn.deleted_at IS NULL AND cn.status NOT IN ('void', 'deleted')
      ) al
     GROUP BY currency, inv_is_invoice, inv_issue, inv_due, pd, ad, d, cn_currency, cn_is_invoice, cn_due
  ),
  alloc_groups AS MATERIALIZED (
    SELECT x.role, x.currency, x.k1, x.k2, sum(x.s1) AS s1, sum(x.s2) AS s2
      FROM alloc_dates al
      CROSS JOIN LATERAL (VALUES
        ('applied', al.currency, al.pd, al.ad, al.amount, al.amount * (al.pd - al.inv_issue), $4::boolean AND al.pd IS NOT NULL AND al.inv_is_invoice),
        ('not_due', al.currency, al.d, al.inv_due, al.amount, NULL, al.inv_is_invoice AND al.ad <= al.inv_due),
        ('not_due', al.cn_currency, al.d, al.cn_due, al.amount, NULL, al.cn_is_invoice),
        ('odd', al.currency, al.d, NULL, al.amount * ((CASE WHEN al.inv_is_invoice THEN -1 ELSE 1 END) + (CASE WHEN al.cn_is_invoice THEN -1 ELSE 1 END)), NULL,
         NOT al.inv_is_invoice OR al.cn_is_invoice)
      ) x(role, currency, k1, k2, s1, s2, keep)
     WHERE x.keep
     GROUP BY x.role, x.currency, x.k1, x.k2
  ),
  applied_in AS (
    SELECT n.e, x.currency,
           COALESCE(sum(x.s1) FILTER (WHERE x.k1 >= n.f), 0) AS w, COALESCE(sum(x.s2) FILTER (WHERE x.k1 >= n.f), 0) AS wd,
           COALESCE(sum(x.s1) FILTER (WHERE x.k1 < n.f), 0) AS prev_w, COALESCE(sum(x.s2) FILTER (WHERE x.k1 < n.f), 0) AS prev_wd
      FROM ends n JOIN alloc_groups x ON x.role = 'applied' AND x.k2 <= n.e AND x.k1 >= n.f - $3::int AND x.k1 <= n.e
     GROUP BY n.e, x.currency
  ),
  odd_in AS (
    SELECT n.e, x.currency, sum(x.s1) AS net FROM ends n JOIN alloc_groups x ON x.role = 'odd' AND x.k1 <= n.e GROUP BY n.e, x.currency
  ),
  -- Invoices issued by E and due on or after it, less their allocations in force at E, at each E.
  current_ar AS (
    SELECT e, currency, sum(amount) AS amount FROM (
      SELECT n.e, x.currency, x.total AS amount FROM ends n JOIN doc_groups x ON x.is_invoice AND x.issue_date <= n.e AND x.due >= n.e
      UNION ALL
      SELECT n.e, y.currency, -y.s1 FROM ends n JOIN alloc_groups y ON y.role = 'not_due' AND y.k1 <= n.e AND y.k2 >= n.e
    ) x GROUP BY e, currency
  ),
  currencies AS (SELECT currency FROM doc_days UNION SELECT currency FROM pay_days),
  keyed AS (
    SELECT n.e, n.f, cur.currency, COALESCE(b.signed, 0) - COALESCE(p.amount, 0) AS receivables, COALESCE(b.period_sales, 0) AS period_sales,
           COALESCE(b.has_sales, false) AS has_sales, b.month_sales
      FROM ends n CROSS JOIN currencies cur
      LEFT JOIN booked b ON b.e = n.e AND b.currency = cur.currency
      LEFT JOIN paid_in p ON p.e = n.e AND p.currency = cur.currency
  )
  SELECT to_char(k.e, 'YYYY-MM-DD') AS e, k.currency::text AS currency,
         (k.receivables + COALESCE(o.net, 0))::text AS receivables, COALESCE(c.amount, 0)::text AS current_ar, k.period_sales::text AS period_sales,
         k.month_sales, ${monthDays} AS month_days,
         COALESCE(ap.w, 0)::text AS w, COALESCE(ap.wd, 0)::text AS wd, COALESCE(ap.prev_w, 0)::text AS prev_w, COALESCE(ap.prev_wd, 0)::text AS prev_wd
    FROM keyed k
    JOIN ends n ON n.e = k.e
    LEFT JOIN odd_in o ON o.e = k.e AND o.currency = k.currency
    LEFT JOIN current_ar c ON c.e = k.e AND c.currency = k.currency
    LEFT JOIN applied_in ap ON ap.e = k.e AND ap.currency = k.currency
   WHERE CASE WHEN k.has_sales THEN true
              WHEN EXISTS (
                SELECT 1 FROM payments p JOIN allocations a ON a.payment_id = p.id JOIN invoices i ON i.id = a.invoice_id
                 WHERE p.tenant_id = $1 AND p.deleted_at IS NULL AND p.date >= n.f - $3::int AND p.date <= n.e
                   AND a.tenant_id = $1 AND a.deleted_at IS NULL AND a.date <= n.e
                   AND i.tenant_id = $1 AND i.kind = 'invoice' AND i.deleted_at IS NULL AND i.status NOT IN ('void', 'deleted') AND i.currency = k.currency)
              THEN true
              ELSE EXISTS (
                SELECT 1 FROM (
                  SELECT 'invoices' AS tbl, i.id, i.total_minor AS amount FROM invoices i
                   WHERE i.tenant_id = $1 AND i.currency = k.currency AND i.deleted_at IS NULL AND i.status NOT IN ('void', 'deleted') AND i.issue_date <= n.e
                  UNION ALL
                  SELECT 'payments', p.id, p.amount_minor FROM payments p
                   WHERE p.tenant_id = $1 AND p.currency = k.currency AND p.deleted_at IS NULL AND p.date <= n.e
                ) d
                 WHERE d.amount <> COALESCE((
                   SELECT sum(a.amount_minor * CASE WHEN d.tbl = 'payments' THEN 1
                                                    ELSE (a.invoice_id = d.id)::int + (a.credit_note_id = d.id AND a.payment_id IS NULL)::int END)
                     FROM allocations a
                     JOIN invoices inv ON inv.id = a.invoice_id
                     LEFT JOIN payments pay ON pay.id = a.payment_id
                     LEFT JOIN invoices cn ON cn.id = a.credit_note_id
                    WHERE CASE WHEN d.tbl = 'payments' THEN a.payment_id = d.id
                               ELSE a.invoice_id = d.id OR (a.credit_note_id = d.id AND a.payment_id IS NULL) END
                      AND a.tenant_id = $1 AND a.deleted_at IS NULL AND a.date <= n.e
                      AND inv.deleted_at IS NULL AND inv.status NOT IN ('void', 'deleted') AND inv.issue_date <= n.e
                      AND CASE WHEN a.payment_id IS NOT NULL THEN pay.deleted_at IS NULL AND pay.date <= n.e
                               WHEN a.credit_note_id IS NOT NULL THEN cn.deleted_at IS NULL AND cn.status NOT IN ('void', 'deleted') AND cn.issue_date <= n.e
                               ELSE false END), 0))
         END
   ORDER BY k.e, k.currency`;
