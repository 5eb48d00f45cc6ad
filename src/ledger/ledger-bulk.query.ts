import { derivedDueDate } from './ledger-upsert.query';
import type { LedgerTable } from './sync-counts';
import { inForceOnSql } from './in-force.query';

/**
 * A whole snapshot written set-based (see ledger-bulk-writer.ts): its records are COPYed into
 * the transaction's staging tables, then merged into the ledger one statement per table.
 *
 * The staging tables are the snapshot's "seen" sets too (`lb_seen_<table>`, the names the
 * writer's tombstones read: ledger-tombstone.query.ts). Their columns are the normalized
 * record's, in the order and with the types of the writer's `unnest` upserts
 * (ledger-upsert.query.ts), so that `md5(row(...)::text)` gives the very content hash the
 * writer stores: a row written by either path is recognised as unchanged by the other.
 */
const STAGING_COLUMNS: Record<LedgerTable, string> = {
  customers: `external_id text NOT NULL, name text, emails text, phones text, currency text, terms_days int, terms_end_of_month boolean,
              credit_limit_minor bigint, company text, language text, tax_id text`,
  invoices: `external_id text NOT NULL, customer_external_id text, kind text, number text, issue_date date, due_date date, currency text,
             total_minor bigint, status text, currency_rate numeric, reference text`,
  payments: `external_id text NOT NULL, customer_external_id text, kind text, date date, currency text, amount_minor bigint, method text, reference text`,
  allocations: `external_id text NOT NULL, invoice_external_id text, payment_external_id text, credit_note_external_id text, amount_minor bigint,
                currency text, date date`,
};

export function createStagingSql(table: LedgerTable): string {
  return `CREATE TEMP TABLE lb_seen_${table} (${STAGING_COLUMNS[table]}) ON COMMIT DROP`;
}

export function copyStagingSql(table: LedgerTable): string {
  return `COPY pg_temp.lb_seen_${table} FROM STDIN`;
}

/**
 * The staged rows whose content hash differs from the stored row's, or whose row is new or
 * a tombstone (which the update clears), with the stored row's id (null: new).
 */
function changed(table: LedgerTable, extra = '', joins = ''): string {
  return `
s AS (SELECT st.*, md5(row(st.*)::text) AS content_hash FROM pg_temp.lb_seen_${table} st),
chg AS MATERIALIZED (
  SELECT s.*, t.id AS target_id${extra}
    FROM s
    LEFT JOIN ${table} t ON t.tenant_id = $1 AND t.connection_id = $2 AND t.external_id = s.external_id${joins}
   WHERE t.id IS NULL OR t.deleted_at IS NOT NULL OR t.content_hash IS DISTINCT FROM s.content_hash
)`;
}

const CUSTOMER_OF_C = `
    LEFT JOIN customers c ON c.tenant_id = $1 AND c.connection_id = $2 AND c.external_id = s.customer_external_id`;

/** The allocated amount a new document starts with (pg_temp.lb_bulk_allocated, see HEAD_START_SQL). */
const headStart = (table: 'invoices' | 'payments') => `
    LEFT JOIN pg_temp.lb_bulk_allocated h ON h.tbl = '${table}' AND h.external_id = x.external_id`;

/**
 * Customers. $1 tenant, $2 connection. Answers `created` and the external ids of the
 * updated customers (their terms may have changed: due dates are re-derived).
 */
export const MERGE_CUSTOMERS_SQL = `
WITH ${changed('customers')},
ins AS (
  INSERT INTO customers (tenant_id, connection_id, external_id, content_hash, name, emails, phones, currency,
                         terms_days, terms_end_of_month, credit_limit_minor, company, language, tax_id)
  SELECT $1, $2, x.external_id, x.content_hash, x.name,
         ARRAY(SELECT jsonb_array_elements_text(x.emails::jsonb)), ARRAY(SELECT jsonb_array_elements_text(x.phones::jsonb)),
         x.currency, x.terms_days, x.terms_end_of_month, x.credit_limit_minor, x.company, x.language, x.tax_id
    FROM chg x WHERE x.target_id IS NULL
  RETURNING 1
),
upd AS (
  UPDATE customers t SET
    content_hash = x.content_hash, name = x.name,
    emails = ARRAY(SELECT jsonb_array_elements_text(x.emails::jsonb)), phones = ARRAY(SELECT jsonb_array_elements_text(x.phones::jsonb)),
    currency = x.currency, terms_days = x.terms_days, terms_end_of_month = x.terms_end_of_month,
    credit_limit_minor = x.credit_limit_minor, company = x.company, language = x.language, tax_id = x.tax_id,
    deleted_at = NULL, updated_at = now()
    FROM chg x
   WHERE t.tenant_id = $1 AND t.id = x.target_id
  RETURNING t.external_id
)
SELECT (SELECT count(*) FROM ins)::int AS created, ARRAY(SELECT external_id FROM upd) AS updated`;

/**
 * What the staged allocations give each staged document: the allocations whose both ends are
 * staged and in force (the triggers' rule, as batch-allocated.ts applies it to a page). New
 * documents are inserted with it, so that the triggers firing on the allocations find them
 * right and do not write them a second time. Joins, not EXISTS in a CASE: such a subplan is
 * hashed only when it fits in work_mem, else run once per row (quadratic). A staged external
 * id is unique per table (a second one would fail the merge's insert), so the joins do not
 * repeat allocations.
 */
export const HEAD_START_SQL = `
CREATE TEMP TABLE lb_bulk_allocated ON COMMIT DROP AS
WITH eff AS (
  SELECT a.amount_minor, a.invoice_external_id, a.payment_external_id,
         CASE WHEN a.payment_external_id IS NULL THEN a.credit_note_external_id END AS credit_note_external_id
    FROM pg_temp.lb_seen_allocations a
    JOIN pg_temp.lb_seen_invoices i ON i.external_id = a.invoice_external_id AND i.status <> 'void'
    LEFT JOIN pg_temp.lb_seen_payments p ON p.external_id = a.payment_external_id
    LEFT JOIN pg_temp.lb_seen_invoices cn ON cn.external_id = a.credit_note_external_id AND cn.kind = 'credit_note' AND cn.status <> 'void'
   WHERE CASE WHEN a.payment_external_id IS NOT NULL THEN p.external_id IS NOT NULL
              WHEN a.credit_note_external_id IS NOT NULL THEN cn.external_id IS NOT NULL
              ELSE false END
)
SELECT 'invoices'::text AS tbl, d.external_id, sum(d.amount_minor)::bigint AS allocated FROM (
  SELECT invoice_external_id AS external_id, amount_minor FROM eff
  UNION ALL SELECT credit_note_external_id, amount_minor FROM eff WHERE credit_note_external_id IS NOT NULL
) d GROUP BY d.external_id
UNION ALL
SELECT 'payments', payment_external_id, sum(amount_minor)::bigint FROM eff WHERE payment_external_id IS NOT NULL GROUP BY payment_external_id`;

/** The transaction's new documents and the documents whose allocated amount is recomputed at the end. */
export const BULK_TEMP_TABLES_SQL = [
  `CREATE TEMP TABLE lb_bulk_new (tbl text NOT NULL, id uuid NOT NULL) ON COMMIT DROP`,
  `CREATE TEMP TABLE lb_bulk_dirty (tbl text NOT NULL, id uuid NOT NULL) ON COMMIT DROP`,
];

/** The one refresh of the documents the allocations statement left to the caller (the triggers' function). */
export const REFRESH_DIRTY_SQL = `
SELECT lb_refresh_allocated(ARRAY(SELECT id FROM pg_temp.lb_bulk_dirty WHERE tbl = 'invoices'),
                            ARRAY(SELECT id FROM pg_temp.lb_bulk_dirty WHERE tbl = 'payments'))`;

const COUNTS = `SELECT (SELECT count(*) FROM ins)::int AS created, (SELECT count(*) FROM upd)::int AS updated`;

/** Invoices and credit notes. $1 tenant, $2 connection, $3 default terms days, $4 default end of month. */
export const MERGE_INVOICES_SQL = `
WITH ${changed('invoices', `, c.id AS customer_id, COALESCE(s.due_date, ${derivedDueDate('s.issue_date')}) AS due, s.due_date IS NULL AS due_derived`, CUSTOMER_OF_C)},
ins AS (
  INSERT INTO invoices (tenant_id, connection_id, external_id, content_hash, customer_id, customer_external_id, kind, number,
                        issue_date, due_date, due_date_derived, currency, total_minor, status, currency_rate, reference, allocated_minor)
  SELECT $1, $2, x.external_id, x.content_hash, x.customer_id, x.customer_external_id, x.kind, x.number,
         x.issue_date, x.due, x.due_derived, x.currency, x.total_minor, x.status, x.currency_rate, x.reference, COALESCE(h.allocated, 0)
    FROM chg x${headStart('invoices')}
   WHERE x.target_id IS NULL
  RETURNING id
),
fresh AS (INSERT INTO pg_temp.lb_bulk_new (tbl, id) SELECT 'invoices', id FROM ins),
upd AS (
  UPDATE invoices t SET
    content_hash = x.content_hash, customer_id = x.customer_id, customer_external_id = x.customer_external_id, kind = x.kind,
    number = x.number, issue_date = x.issue_date, due_date = x.due, due_date_derived = x.due_derived, currency = x.currency,
    total_minor = x.total_minor, status = x.status, currency_rate = x.currency_rate, reference = x.reference,
    deleted_at = NULL, updated_at = now()
    FROM chg x
   WHERE t.tenant_id = $1 AND t.id = x.target_id
  RETURNING 1
)
${COUNTS}`;

/** Payments. $1 tenant, $2 connection. */
export const MERGE_PAYMENTS_SQL = `
WITH ${changed('payments', ', c.id AS customer_id', CUSTOMER_OF_C)},
ins AS (
  INSERT INTO payments (tenant_id, connection_id, external_id, content_hash, customer_id, customer_external_id, kind,
                        date, currency, amount_minor, method, reference, allocated_minor)
  SELECT $1, $2, x.external_id, x.content_hash, x.customer_id, x.customer_external_id, x.kind,
         x.date, x.currency, x.amount_minor, x.method, x.reference, COALESCE(h.allocated, 0)
    FROM chg x${headStart('payments')}
   WHERE x.target_id IS NULL
  RETURNING id
),
fresh AS (INSERT INTO pg_temp.lb_bulk_new (tbl, id) SELECT 'payments', id FROM ins),
upd AS (
  UPDATE payments t SET
    content_hash = x.content_hash, customer_id = x.customer_id, customer_external_id = x.customer_external_id, kind = x.kind,
    date = x.date, currency = x.currency, amount_minor = x.amount_minor, method = x.method, reference = x.reference,
    deleted_at = NULL, updated_at = now()
    FROM chg x
   WHERE t.tenant_id = $1 AND t.id = x.target_id
  RETURNING 1
)
${COUNTS}`;

/**
 * Source allocations, their ends resolved by external id. $1 tenant, $2 connection.
 *
 * Run with the allocations trigger handing the refresh to the caller (migration
 * 1796310000000-AllocatedRefreshByCaller): the documents to recompute go to
 * `pg_temp.lb_bulk_dirty`, for one `lb_refresh_allocated` afterwards (REFRESH_DIRTY_SQL).
 * They are every end, old and new, of the allocations updated, and both ends of the
 * allocations inserted, except those whose every end is a document this snapshot inserted:
 * such a document was inserted with what the staged allocations give it (HEAD_START_SQL),
 * which counts exactly the staged allocations in force between staged documents. What that
 * head start counts beyond the rows this statement points at it are allocations already in
 * the ledger and waiting for it, which the links that follow attach (their trigger refreshes
 * it); what it leaves out has an end outside the snapshot and is among the refreshed.
 */
export const MERGE_ALLOCATIONS_SQL = `
WITH ${changed(
  'allocations',
  `, i.id AS invoice_id, p.id AS payment_id, cn.id AS credit_note_id, t.invoice_id AS old_invoice_id, t.payment_id AS old_payment_id, t.credit_note_id AS old_credit_note_id,
     ${inForceOnSql('s.date', 'i', 'p', 'cn')} AS in_force_on`,
  `
    LEFT JOIN invoices i ON i.tenant_id = $1 AND i.connection_id = $2 AND i.external_id = s.invoice_external_id
    LEFT JOIN payments p ON p.tenant_id = $1 AND p.connection_id = $2 AND p.external_id = s.payment_external_id
    LEFT JOIN invoices cn ON cn.tenant_id = $1 AND cn.connection_id = $2 AND cn.external_id = s.credit_note_external_id AND cn.kind = 'credit_note'`,
)},
ins AS (
  INSERT INTO allocations (tenant_id, connection_id, external_id, content_hash, invoice_id, invoice_external_id,
                           payment_id, payment_external_id, credit_note_id, credit_note_external_id,
                           amount_minor, currency, date, method, confidence, in_force_on)
  SELECT $1, $2, x.external_id, x.content_hash, x.invoice_id, x.invoice_external_id, x.payment_id, x.payment_external_id,
         x.credit_note_id, x.credit_note_external_id, x.amount_minor, x.currency, x.date, 'source', 100, x.in_force_on
    FROM chg x WHERE x.target_id IS NULL
  RETURNING invoice_id, payment_id, credit_note_id
),
upd AS (
  UPDATE allocations t SET
    content_hash = x.content_hash, invoice_id = x.invoice_id, invoice_external_id = x.invoice_external_id,
    payment_id = x.payment_id, payment_external_id = x.payment_external_id,
    credit_note_id = x.credit_note_id, credit_note_external_id = x.credit_note_external_id,
    amount_minor = x.amount_minor, currency = x.currency, date = x.date, deleted_at = NULL, in_force_on = x.in_force_on, updated_at = now()
    FROM chg x
   WHERE t.tenant_id = $1 AND t.id = x.target_id
  RETURNING t.invoice_id, t.payment_id, t.credit_note_id, x.old_invoice_id, x.old_payment_id, x.old_credit_note_id
),
new_inv AS (SELECT id FROM pg_temp.lb_bulk_new WHERE tbl = 'invoices'),
new_pay AS (SELECT id FROM pg_temp.lb_bulk_new WHERE tbl = 'payments'),
ends AS (
  SELECT invoice_id, payment_id, credit_note_id FROM ins
   WHERE NOT ((invoice_id IS NULL OR invoice_id IN (SELECT id FROM new_inv))
          AND (payment_id IS NULL OR payment_id IN (SELECT id FROM new_pay))
          AND (credit_note_id IS NULL OR credit_note_id IN (SELECT id FROM new_inv)))
  UNION ALL SELECT invoice_id, payment_id, credit_note_id FROM upd
  UNION ALL SELECT old_invoice_id, old_payment_id, old_credit_note_id FROM upd
),
dirty AS (
  INSERT INTO pg_temp.lb_bulk_dirty (tbl, id)
  SELECT 'invoices', invoice_id FROM ends WHERE invoice_id IS NOT NULL
  UNION SELECT 'invoices', credit_note_id FROM ends WHERE credit_note_id IS NOT NULL
  UNION SELECT 'payments', payment_id FROM ends WHERE payment_id IS NOT NULL
)
${COUNTS}`;
