import { inForceOnSql } from './in-force.query';

/**
 * Set-based upserts of normalized records, one statement per chunk and table.
 *
 * Common parameters: $1 tenant id, $2 connection id. The record columns follow as arrays
 * (unnested together, one element per record). Each statement:
 * - computes the content hash of the normalized record in SQL (md5 of the row text),
 * - inserts new invoices and payments with the allocated amount the batch gives them (see
 *   batch-allocated.ts; a column outside the hash, never set on update: the triggers own it),
 * - resolves references by external id (customers, invoices, payments of the same connection),
 * - inserts new rows, and updates a stored row only when the hash changed or it was a tombstone
 *   (which clears it),
 * - answers created/updated counts (unchanged = chunk size − both).
 *
 * In snapshot mode (`seen` = true), the external ids of the chunk are also recorded in the
 * transaction's temp table `lb_seen_<table>` (see ledger-snapshot.query.ts).
 */

/** Due date from payment terms: `days` after `from`, or the end of that month when `eom`. */
export function termsDueDate(from: string, days: string, eom: string): string {
  return `CASE WHEN ${eom}
               THEN (date_trunc('month', (${from} + ${days})::timestamp) + interval '1 month' - interval '1 day')::date
               ELSE ${from} + ${days} END`;
}

/**
 * A missing due date derived in SQL: the customer's terms, else the connection's default
 * terms ($3 days, $4 end of month), else the issue date. `c` is the customer row (may be null).
 */
export function derivedDueDate(issueDate: string): string {
  return `CASE
    WHEN c.terms_days IS NOT NULL THEN ${termsDueDate(issueDate, 'c.terms_days', 'c.terms_end_of_month')}
    WHEN $3::int IS NOT NULL THEN ${termsDueDate(issueDate, '$3::int', '$4::boolean')}
    ELSE ${issueDate} END`;
}

/**
 * The customer rows of the changed records (`chg`), each looked up once per chunk rather than
 * once per record (a 1,000-invoice page names 100 customers): one row per distinct customer
 * external id, with the customer's id and terms, or nulls when it is not known yet. Per id
 * the lookup is one probe of the unique key (LIMIT 1 keeps the planner from turning it into a
 * join over the whole table when its statistics are stale).
 */
const CUSTOMERS_OF_CHG = `,
cust AS MATERIALIZED (
  SELECT k.customer_external_id, c.id, c.terms_days, c.terms_end_of_month
    FROM (SELECT DISTINCT customer_external_id FROM chg) k
    LEFT JOIN LATERAL (SELECT c.id, c.terms_days, c.terms_end_of_month FROM customers c
                        WHERE c.tenant_id = $1 AND c.connection_id = $2 AND c.external_id = k.customer_external_id LIMIT 1) c ON true
)`;

function seenCte(table: string, seen: boolean): string {
  return seen ? `, seen AS (INSERT INTO pg_temp.lb_seen_${table} (external_id) SELECT external_id FROM src)` : '';
}

/**
 * The records whose content hash differs from the stored row (or whose row is new or a
 * tombstone), with the stored row's id (`cur_id`, null when new) and `stored` columns of it
 * (as `cur_<column>`). Unchanged records stop here: no write, no row lock. The stored row is
 * looked up per record by one probe of the unique key, a plan that does not depend on table
 * statistics (LIMIT 1 keeps the planner from flattening the lookup into a join it could run
 * over the whole table). `hashed`: the columns of the record (all of `src` unless it carries more).
 */
function changedCte(table: string, hashed = 's.*', stored: string[] = []): string {
  return `,
hashed AS (SELECT s.*, md5(row(${hashed})::text) AS content_hash FROM src s),
chg AS (
  SELECT h.*, cur.id AS cur_id${stored.map((c) => `, cur.${c} AS cur_${c}`).join('')} FROM hashed h
    LEFT JOIN LATERAL (SELECT t.* FROM ${table} t
                        WHERE t.tenant_id = $1 AND t.connection_id = $2 AND t.external_id = h.external_id LIMIT 1) cur ON true
   WHERE cur.id IS NULL OR cur.deleted_at IS NOT NULL OR cur.content_hash IS DISTINCT FROM h.content_hash
)`;
}

/**
 * The UPDATEs' condition on the stored rows, besides the join to `rec`: by their ids, so that
 * the rows are fetched by primary key, not by a hash join over the whole table (the planner
 * cannot tell how many records of a page are new).
 */
const STORED_ROWS = `t.id = ANY(ARRAY(SELECT cur_id FROM rec WHERE cur_id IS NOT NULL))`;

/**
 * Created and updated counts of the `ins` and `upd` CTEs, and the external ids of the new
 * documents inserted with a non-zero allocated amount (the batch's head start, see
 * batch-allocated.ts): the writer's allocations statement needs no refresh for the batch's
 * new allocations between two of them (upsertAllocationsSql).
 */
const COUNT_STARTED = `
SELECT (SELECT count(*) FROM ins)::int AS created, (SELECT count(*) FROM upd)::int AS updated,
       ARRAY(SELECT external_id FROM ins WHERE allocated_minor <> 0) AS started`;

/**
 * Customers. Params: $1 tenant, $2 connection, $3..$13 arrays. Answers one row per written
 * customer (external id, inserted, terms changed) so that the writer can link and re-derive.
 */
export function upsertCustomersSql(seen: boolean): string {
  return `
WITH src AS (
  SELECT * FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::boolean[],
                       $10::bigint[], $11::text[], $12::text[], $13::text[])
    AS s(external_id, name, emails, phones, currency, terms_days, terms_end_of_month, credit_limit_minor, company, language, tax_id)
)${seenCte('customers', seen)}${changedCte('customers')},
up AS (
  INSERT INTO customers AS t (tenant_id, connection_id, external_id, content_hash, name, emails, phones, currency,
                              terms_days, terms_end_of_month, credit_limit_minor, company, language, tax_id)
  SELECT $1, $2, s.external_id, s.content_hash, s.name,
         ARRAY(SELECT jsonb_array_elements_text(s.emails::jsonb)), ARRAY(SELECT jsonb_array_elements_text(s.phones::jsonb)),
         s.currency, s.terms_days, s.terms_end_of_month, s.credit_limit_minor, s.company, s.language, s.tax_id
    FROM chg s
  ON CONFLICT (tenant_id, connection_id, external_id) DO UPDATE SET
    content_hash = EXCLUDED.content_hash, name = EXCLUDED.name, emails = EXCLUDED.emails, phones = EXCLUDED.phones,
    currency = EXCLUDED.currency, terms_days = EXCLUDED.terms_days, terms_end_of_month = EXCLUDED.terms_end_of_month,
    credit_limit_minor = EXCLUDED.credit_limit_minor, company = EXCLUDED.company, language = EXCLUDED.language,
    tax_id = EXCLUDED.tax_id, deleted_at = NULL, updated_at = now()
  WHERE t.content_hash IS DISTINCT FROM EXCLUDED.content_hash OR t.deleted_at IS NOT NULL
  RETURNING t.external_id, (xmax = 0) AS inserted
)
SELECT external_id, inserted FROM up`;
}

const INVOICE_RECORD = 'external_id, customer_external_id, kind, number, issue_date, due_date, currency, total_minor, status, currency_rate, reference';

/**
 * Invoices and credit notes. Params: $1 tenant, $2 connection, $3 default terms days, $4 default end of month, $5..$15 arrays,
 * $16 allocated amounts for new rows.
 *
 * New rows go in by a plain INSERT and changed ones by an UPDATE of the row found: no
 * speculative insertion (ON CONFLICT costs a second unique-index probe and WAL record per
 * row). Runs of a connection never overlap (the runner's lock), so a key inserted between
 * the lookup and the insert can only come from another writer, whose row then makes this
 * statement fail on the unique key rather than be overwritten.
 */
export function upsertInvoicesSql(seen: boolean): string {
  return `
WITH src AS (
  SELECT * FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::date[], $10::date[], $11::text[],
                       $12::bigint[], $13::text[], $14::numeric[], $15::text[], $16::bigint[])
    AS s(${INVOICE_RECORD}, allocated_minor)
)${seenCte('invoices', seen)}${changedCte('invoices', INVOICE_RECORD.replace(/(\w+)/g, 's.$1'))}${CUSTOMERS_OF_CHG},
rec AS (
  SELECT s.*, c.id AS customer_id, COALESCE(s.due_date, ${derivedDueDate('s.issue_date')}) AS due
    FROM chg s LEFT JOIN cust c ON c.customer_external_id = s.customer_external_id
),
ins AS (
  INSERT INTO invoices (tenant_id, connection_id, external_id, content_hash, customer_id, customer_external_id, kind,
                        number, issue_date, due_date, due_date_derived, currency, total_minor, status, currency_rate, reference,
                        allocated_minor)
  SELECT $1, $2, s.external_id, s.content_hash, s.customer_id, s.customer_external_id, s.kind, s.number, s.issue_date,
         s.due, s.due_date IS NULL, s.currency, s.total_minor, s.status, s.currency_rate, s.reference, s.allocated_minor
    FROM rec s WHERE s.cur_id IS NULL
  RETURNING external_id, allocated_minor
),
upd AS (
  UPDATE invoices t SET
    content_hash = s.content_hash, customer_id = s.customer_id, customer_external_id = s.customer_external_id,
    kind = s.kind, number = s.number, issue_date = s.issue_date, due_date = s.due, due_date_derived = s.due_date IS NULL,
    currency = s.currency, total_minor = s.total_minor, status = s.status, currency_rate = s.currency_rate,
    reference = s.reference, deleted_at = NULL, updated_at = now()
    FROM rec s WHERE t.id = s.cur_id AND ${STORED_ROWS}
  RETURNING 1
)${COUNT_STARTED}`;
}

const PAYMENT_RECORD = 'external_id, customer_external_id, kind, date, currency, amount_minor, method, reference';

/** Payments, as upsertInvoicesSql. Params: $1 tenant, $2 connection, $3..$10 arrays, $11 allocated amounts for new rows. */
export function upsertPaymentsSql(seen: boolean): string {
  return `
WITH src AS (
  SELECT * FROM unnest($3::text[], $4::text[], $5::text[], $6::date[], $7::text[], $8::bigint[], $9::text[], $10::text[], $11::bigint[])
    AS s(${PAYMENT_RECORD}, allocated_minor)
)${seenCte('payments', seen)}${changedCte('payments', PAYMENT_RECORD.replace(/(\w+)/g, 's.$1'))}${CUSTOMERS_OF_CHG},
rec AS (SELECT s.*, c.id AS customer_id FROM chg s LEFT JOIN cust c ON c.customer_external_id = s.customer_external_id),
ins AS (
  INSERT INTO payments (tenant_id, connection_id, external_id, content_hash, customer_id, customer_external_id, kind,
                        date, currency, amount_minor, method, reference, allocated_minor)
  SELECT $1, $2, s.external_id, s.content_hash, s.customer_id, s.customer_external_id, s.kind, s.date, s.currency,
         s.amount_minor, s.method, s.reference, s.allocated_minor
    FROM rec s WHERE s.cur_id IS NULL
  RETURNING external_id, allocated_minor
),
upd AS (
  UPDATE payments t SET
    content_hash = s.content_hash, customer_id = s.customer_id, customer_external_id = s.customer_external_id,
    kind = s.kind, date = s.date, currency = s.currency, amount_minor = s.amount_minor, method = s.method,
    reference = s.reference, deleted_at = NULL, updated_at = now()
    FROM rec s WHERE t.id = s.cur_id AND ${STORED_ROWS}
  RETURNING 1
)${COUNT_STARTED}`;
}

const ALLOCATION_RECORD = 'external_id, invoice_external_id, payment_external_id, credit_note_external_id, amount_minor, currency, date';

/**
 * Source allocations, as upsertInvoicesSql. Params: $1 tenant, $2 connection, $3..$9 arrays, $10 `covered` per record.
 *
 * The writer runs it with the allocations trigger's refresh left to the caller
 * (`ledgerbridge.allocated_by_caller`, 1796310000000-AllocatedRefreshByCaller) and answers,
 * besides the counts, the documents to refresh with `lb_refresh_allocated` (REFRESH_ENDS_SQL):
 * the trigger's own set (both ends of every row written, before and after the statement),
 * less the ends of the new allocations that are `covered`: counted in the head start of two
 * documents that this batch inserted with it (both ends among the `started` ids of
 * COUNT_STARTED), which already carry their amount. A new document's other allocations are
 * written by this statement (then refreshed here unless covered) or linked later by an
 * UPDATE (then refreshed by the trigger), so it ends exact either way.
 */
export function upsertAllocationsSql(seen: boolean): string {
  return `
WITH src AS (
  SELECT * FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::date[], $10::boolean[])
    AS s(${ALLOCATION_RECORD}, covered)
)${seenCte('allocations', seen)}${changedCte('allocations', ALLOCATION_RECORD.replace(/(\w+)/g, 's.$1'), ['invoice_id', 'payment_id', 'credit_note_id'])},
rec AS (
  SELECT s.*, i.id AS invoice_id, p.id AS payment_id, cn.id AS credit_note_id, ${inForceOnSql('s.date', 'i', 'p', 'cn')} AS in_force_on
    FROM chg s
    LEFT JOIN LATERAL (SELECT i.id, i.issue_date, i.status, i.deleted_at FROM invoices i
                        WHERE i.tenant_id = $1 AND i.connection_id = $2 AND i.external_id = s.invoice_external_id LIMIT 1) i ON true
    LEFT JOIN LATERAL (SELECT p.id, p.date, p.deleted_at FROM payments p
                        WHERE p.tenant_id = $1 AND p.connection_id = $2 AND p.external_id = s.payment_external_id LIMIT 1) p ON true
    LEFT JOIN LATERAL (SELECT cn.id, cn.issue_date, cn.status, cn.deleted_at FROM invoices cn
                        WHERE cn.tenant_id = $1 AND cn.connection_id = $2 AND cn.external_id = s.credit_note_external_id
                          AND cn.kind = 'credit_note' LIMIT 1) cn ON true
),
ins AS (
  INSERT INTO allocations (tenant_id, connection_id, external_id, content_hash, invoice_id, invoice_external_id,
                           payment_id, payment_external_id, credit_note_id, credit_note_external_id,
                           amount_minor, currency, date, method, confidence, in_force_on)
  SELECT $1, $2, s.external_id, s.content_hash, s.invoice_id, s.invoice_external_id, s.payment_id, s.payment_external_id,
         s.credit_note_id, s.credit_note_external_id, s.amount_minor, s.currency, s.date, 'source', 100, s.in_force_on
    FROM rec s WHERE s.cur_id IS NULL
  RETURNING 1
),
upd AS (
  UPDATE allocations t SET
    content_hash = s.content_hash, invoice_id = s.invoice_id, invoice_external_id = s.invoice_external_id,
    payment_id = s.payment_id, payment_external_id = s.payment_external_id,
    credit_note_id = s.credit_note_id, credit_note_external_id = s.credit_note_external_id,
    amount_minor = s.amount_minor, currency = s.currency, date = s.date, deleted_at = NULL, in_force_on = s.in_force_on, updated_at = now()
    FROM rec s WHERE t.id = s.cur_id AND ${STORED_ROWS}
  RETURNING 1
),
ends AS (
  SELECT invoice_id, payment_id, credit_note_id FROM rec WHERE cur_id IS NOT NULL OR NOT covered
  UNION ALL SELECT cur_invoice_id, cur_payment_id, cur_credit_note_id FROM rec WHERE cur_id IS NOT NULL
)
SELECT (SELECT count(*) FROM ins)::int AS created, (SELECT count(*) FROM upd)::int AS updated,
       ARRAY(SELECT invoice_id FROM ends WHERE invoice_id IS NOT NULL
             UNION ALL SELECT credit_note_id FROM ends WHERE credit_note_id IS NOT NULL) AS invoice_ends,
       ARRAY(SELECT payment_id FROM ends WHERE payment_id IS NOT NULL) AS payment_ends`;
}

/** $1 'on' | 'off': whether the allocations trigger leaves the refresh to the caller (this transaction). */
export const ALLOCATED_BY_CALLER_SQL = `SELECT set_config('ledgerbridge.allocated_by_caller', $1, true)`;

/** The refresh of the documents upsertAllocationsSql answers (the triggers' function). $1 invoice ids, $2 payment ids. */
export const REFRESH_ENDS_SQL = `SELECT lb_refresh_allocated($1::uuid[], $2::uuid[])`;
