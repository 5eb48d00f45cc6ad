/**
 * The receivables ledger as of a date, as SQL common table expressions ending with
 * `open_items`. Parameters: `$1` tenant id, `$2` as-of date. Documents and allocations dated
 * after the as-of date are ignored; void, deleted and tombstoned documents never count.
 *
 * `open_items` has one row per document with something left open at the date: invoices
 * (positive, aged from their due date), unallocated credit notes and payment remainders
 * (negative, aged from their own date). Their sum per customer is exactly
 * invoices − credit notes − payments, the customer's balance in the books.
 *
 * Three ways to the same rows (ReportContextService picks one):
 * - `current`: nothing in the tenant's ledger is dated after the as-of date (reports as of
 *   today). Each document carries what its allocations in force cover (`allocated_minor`,
 *   kept by the database, see the MaintainedAllocated migration): the open documents are
 *   read through partial indexes, no allocation is read.
 * Both other views read allocations by `in_force_on` (kept by the database, see the
 * AllocationsInForce migration): the latest of an allocation's date and its ends' dates, null
 * when it is not counted in `allocated_minor` (deleted, or an end void or deleted).
 * - `recent`: few allocations (RECENT_MAX_LATE) are counted today but not in force at the
 *   as-of date: the `current` rows, corrected by those (`late_alloc`, `late_sums`, through
 *   allocations_in_force_idx).
 * - `historical`: an earlier date. Every document and allocation in force at the date is
 *   read and summed:
 *   - `eff_alloc`: allocations in force at the date (`in_force_on` on or before it);
 *   - their sums per invoice or credit note and per payment;
 *   - `open_items` as above (documents in force at the date, each with its sum), including
 *     rows whose open amount is 0.
 */
export type LedgerView = 'current' | 'recent' | 'historical';

/**
 * Invoices and credit notes with something open today, through the partial index
 * `invoices_open_idx`; with `late`, those with late allocations (`late_sums`) are read
 * through it instead, with the late amounts added back.
 */
function invoiceItems(late?: 'open' | 'late'): string {
  return `SELECT i.connection_id, i.customer_external_id, i.customer_id, i.currency,
           CASE WHEN i.kind = 'invoice' THEN 'invoice' ELSE 'credit_note' END AS doc_type, i.id AS doc_id,
           CASE WHEN i.kind = 'invoice' THEN COALESCE(i.due_date, i.issue_date) ELSE i.issue_date END AS ref_date, i.issue_date,
           CASE WHEN i.kind = 'invoice' THEN 1 ELSE -1 END * (i.total_minor - i.allocated_minor${late === 'late' ? ' + l.s' : ''}) AS open_minor,
           i.total_minor
      FROM ${late === 'late' ? "late_sums l JOIN invoices i ON i.id = l.id AND l.tbl = 'invoices'" : 'invoices i'}
     WHERE i.tenant_id = $1 AND i.deleted_at IS NULL AND i.status NOT IN ('void', 'deleted') AND i.issue_date <= $2::date
       ${late === 'late' ? '' : 'AND i.total_minor <> i.allocated_minor'}
       ${late === 'open' ? "AND NOT EXISTS (SELECT 1 FROM late_sums l WHERE l.id = i.id AND l.tbl = 'invoices')" : ''}`;
}

/** Payments with something unallocated today, through the partial index `payments_open_idx`; `late` as for invoices. */
function paymentItems(late?: 'open' | 'late'): string {
  return `SELECT p.connection_id, p.customer_external_id, p.customer_id, p.currency, 'payment', p.id, p.date, p.date,
           -(p.amount_minor - p.allocated_minor${late === 'late' ? ' + l.s' : ''}), p.amount_minor
      FROM ${late === 'late' ? "late_sums l JOIN payments p ON p.id = l.id AND l.tbl = 'payments'" : 'payments p'}
     WHERE p.tenant_id = $1 AND p.deleted_at IS NULL AND p.date <= $2::date
       ${late === 'late' ? '' : 'AND p.amount_minor <> p.allocated_minor'}
       ${late === 'open' ? "AND NOT EXISTS (SELECT 1 FROM late_sums l WHERE l.id = p.id AND l.tbl = 'payments')" : ''}`;
}

/**
 * The two ends of each allocation of `source`, keyed by the table the document lives in
 * (`tbl`: invoices for invoices and credit notes, payments), so that an invoice and a
 * payment that happen to share an id are never confused.
 */
const ALLOCATION_ENDS = (source: string) => `
      SELECT 'invoices' AS tbl, invoice_id AS id, amount_minor FROM ${source}
      UNION ALL SELECT 'payments', payment_id, amount_minor FROM ${source} WHERE payment_id IS NOT NULL
      UNION ALL SELECT 'invoices', credit_note_id, amount_minor FROM ${source} WHERE payment_id IS NULL`;

/**
 * Allocations counted in today's `allocated_minor` but not in force at the as-of date (their
 * `in_force_on` is after it, read through allocations_in_force_idx), and their amounts per
 * document.
 */
const LATE_CTES = `
  late_alloc AS MATERIALIZED (
    SELECT a.invoice_id, a.payment_id, a.credit_note_id, a.amount_minor FROM allocations a WHERE a.tenant_id = $1 AND a.in_force_on > $2::date
  ),
  late_sums AS MATERIALIZED (
    SELECT x.tbl, x.id, sum(x.amount_minor) AS s FROM (${ALLOCATION_ENDS('late_alloc')}) x GROUP BY x.tbl, x.id
  )`;

export const OPEN_ITEMS_CTES: Record<LedgerView, string> = {
  current: `
  open_items AS (
    ${invoiceItems()}
    UNION ALL
    ${paymentItems()}
  )`,
  recent: `${LATE_CTES},
  open_items AS (
    ${invoiceItems('open')}
    UNION ALL
    ${invoiceItems('late')}
    UNION ALL
    ${paymentItems('open')}
    UNION ALL
    ${paymentItems('late')}
  )`,
  historical: `
  eff_alloc AS MATERIALIZED (
    SELECT a.invoice_id, a.payment_id, a.credit_note_id, a.amount_minor FROM allocations a WHERE a.tenant_id = $1 AND a.in_force_on <= $2::date
  ),
  invoice_sums AS (
    SELECT x.id, sum(x.amount_minor) AS s FROM (
      SELECT invoice_id AS id, amount_minor FROM eff_alloc
      UNION ALL SELECT credit_note_id, amount_minor FROM eff_alloc WHERE payment_id IS NULL
    ) x GROUP BY x.id
  ),
  payment_sums AS (SELECT payment_id AS id, sum(amount_minor) AS s FROM eff_alloc WHERE payment_id IS NOT NULL GROUP BY payment_id),
  open_items AS (
    SELECT i.connection_id, i.customer_external_id, i.customer_id, i.currency,
           CASE WHEN i.kind = 'invoice' THEN 'invoice' ELSE 'credit_note' END AS doc_type, i.id AS doc_id,
           CASE WHEN i.kind = 'invoice' THEN COALESCE(i.due_date, i.issue_date) ELSE i.issue_date END AS ref_date, i.issue_date,
           CASE WHEN i.kind = 'invoice' THEN 1 ELSE -1 END * (i.total_minor - COALESCE(s.s, 0)) AS open_minor,
           i.total_minor
      FROM invoices i LEFT JOIN invoice_sums s ON s.id = i.id
     WHERE i.tenant_id = $1 AND i.deleted_at IS NULL AND i.status NOT IN ('void', 'deleted') AND i.issue_date <= $2::date
    UNION ALL
    SELECT p.connection_id, p.customer_external_id, p.customer_id, p.currency, 'payment', p.id, p.date, p.date,
           -(p.amount_minor - COALESCE(s.s, 0)), p.amount_minor
      FROM payments p LEFT JOIN payment_sums s ON s.id = p.id
     WHERE p.tenant_id = $1 AND p.deleted_at IS NULL AND p.date <= $2::date
  )`,
};

/** One SQL text per ledger view, built around the view's CTEs. */
export function perView(build: (openItemsCtes: string) => string): Record<LedgerView, string> {
  return { current: build(OPEN_ITEMS_CTES.current), recent: build(OPEN_ITEMS_CTES.recent), historical: build(OPEN_ITEMS_CTES.historical) };
}

/**
 * Whether invoice `inv` had a payment (not a credit note) applied by the as-of date `$2`:
 * an allocation in force then, from a payment in force then.
 */
export function paidByPaymentAsOf(inv: string): string {
  return `EXISTS (
    SELECT 1 FROM allocations a JOIN payments p ON p.id = a.payment_id
     WHERE a.invoice_id = ${inv} AND a.deleted_at IS NULL AND a.date <= $2::date AND p.deleted_at IS NULL AND p.date <= $2::date)`;
}
