/**
 * Set-based upserts of normalized records, one statement per chunk and table.
 *
 * Common parameters: $1 tenant id, $2 connection id. The record columns follow as arrays
 * (unnested together, one element per record). Each statement:
 * - computes the content hash of the normalized record in SQL (md5 of the row text),
 * - inserts new invoices and payments with the allocated amount the batch gives them (see
 *   batch-allocated.ts; a column outside the hash, never set on update: the triggers own it),
 * - resolves references by external id (customers, invoices, payments of the same connection),
 * - inserts, or updates only when the hash changed or the row was a tombstone (which clears it),
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
 * tombstone). Unchanged records stop here: no conflict check, no row lock, no write. The
 * stored hash is looked up by a scalar subquery (one probe of the unique index per record),
 * a plan that does not depend on table statistics. `hashed`: the columns of the record (all
 * of `src` unless it carries more).
 */
function changedCte(table: string, hashed = 's.*'): string {
  return `,
hashed AS (SELECT s.*, md5(row(${hashed})::text) AS content_hash FROM src s),
chg AS (
  SELECT h.* FROM hashed h
   WHERE (SELECT t.content_hash FROM ${table} t
           WHERE t.tenant_id = $1 AND t.connection_id = $2 AND t.external_id = h.external_id AND t.deleted_at IS NULL)
         IS DISTINCT FROM h.content_hash
)`;
}

const COUNT = `SELECT count(*) FILTER (WHERE inserted)::int AS created, count(*) FILTER (WHERE NOT inserted)::int AS updated`;

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
 */
export function upsertInvoicesSql(seen: boolean): string {
  return `
WITH src AS (
  SELECT * FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::date[], $10::date[], $11::text[],
                       $12::bigint[], $13::text[], $14::numeric[], $15::text[], $16::bigint[])
    AS s(${INVOICE_RECORD}, allocated_minor)
)${seenCte('invoices', seen)}${changedCte('invoices', INVOICE_RECORD.replace(/(\w+)/g, 's.$1'))}${CUSTOMERS_OF_CHG},
up AS (
  INSERT INTO invoices AS t (tenant_id, connection_id, external_id, content_hash, customer_id, customer_external_id, kind,
                             number, issue_date, due_date, due_date_derived, currency, total_minor, status, currency_rate, reference,
                             allocated_minor)
  SELECT $1, $2, s.external_id, s.content_hash, c.id, s.customer_external_id, s.kind, s.number, s.issue_date,
         COALESCE(s.due_date, ${derivedDueDate('s.issue_date')}), s.due_date IS NULL,
         s.currency, s.total_minor, s.status, s.currency_rate, s.reference, s.allocated_minor
    FROM chg s
    LEFT JOIN cust c ON c.customer_external_id = s.customer_external_id
  ON CONFLICT (tenant_id, connection_id, external_id) DO UPDATE SET
    content_hash = EXCLUDED.content_hash, customer_id = EXCLUDED.customer_id, customer_external_id = EXCLUDED.customer_external_id,
    kind = EXCLUDED.kind, number = EXCLUDED.number, issue_date = EXCLUDED.issue_date, due_date = EXCLUDED.due_date,
    due_date_derived = EXCLUDED.due_date_derived, currency = EXCLUDED.currency, total_minor = EXCLUDED.total_minor,
    status = EXCLUDED.status, currency_rate = EXCLUDED.currency_rate, reference = EXCLUDED.reference,
    deleted_at = NULL, updated_at = now()
  WHERE t.content_hash IS DISTINCT FROM EXCLUDED.content_hash OR t.deleted_at IS NOT NULL
  RETURNING (xmax = 0) AS inserted
)
${COUNT} FROM up`;
}

const PAYMENT_RECORD = 'external_id, customer_external_id, kind, date, currency, amount_minor, method, reference';

/** Payments. Params: $1 tenant, $2 connection, $3..$10 arrays, $11 allocated amounts for new rows. */
export function upsertPaymentsSql(seen: boolean): string {
  return `
WITH src AS (
  SELECT * FROM unnest($3::text[], $4::text[], $5::text[], $6::date[], $7::text[], $8::bigint[], $9::text[], $10::text[], $11::bigint[])
    AS s(${PAYMENT_RECORD}, allocated_minor)
)${seenCte('payments', seen)}${changedCte('payments', PAYMENT_RECORD.replace(/(\w+)/g, 's.$1'))}${CUSTOMERS_OF_CHG},
up AS (
  INSERT INTO payments AS t (tenant_id, connection_id, external_id, content_hash, customer_id, customer_external_id, kind,
                             date, currency, amount_minor, method, reference, allocated_minor)
  SELECT $1, $2, s.external_id, s.content_hash, c.id, s.customer_external_id, s.kind, s.date, s.currency,
         s.amount_minor, s.method, s.reference, s.allocated_minor
    FROM chg s
    LEFT JOIN cust c ON c.customer_external_id = s.customer_external_id
  ON CONFLICT (tenant_id, connection_id, external_id) DO UPDATE SET
    content_hash = EXCLUDED.content_hash, customer_id = EXCLUDED.customer_id, customer_external_id = EXCLUDED.customer_external_id,
    kind = EXCLUDED.kind, date = EXCLUDED.date, currency = EXCLUDED.currency, amount_minor = EXCLUDED.amount_minor,
    method = EXCLUDED.method, reference = EXCLUDED.reference, deleted_at = NULL, updated_at = now()
  WHERE t.content_hash IS DISTINCT FROM EXCLUDED.content_hash OR t.deleted_at IS NOT NULL
  RETURNING (xmax = 0) AS inserted
)
${COUNT} FROM up`;
}

/** Source allocations. Params: $1 tenant, $2 connection, $3..$9 arrays. */
export function upsertAllocationsSql(seen: boolean): string {
  return `
WITH src AS (
  SELECT * FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::date[])
    AS s(external_id, invoice_external_id, payment_external_id, credit_note_external_id, amount_minor, currency, date)
)${seenCte('allocations', seen)}${changedCte('allocations')},
up AS (
  INSERT INTO allocations AS t (tenant_id, connection_id, external_id, content_hash, invoice_id, invoice_external_id,
                                payment_id, payment_external_id, credit_note_id, credit_note_external_id,
                                amount_minor, currency, date, method, confidence)
  SELECT $1, $2, s.external_id, s.content_hash,
         (SELECT i.id FROM invoices i WHERE i.tenant_id = $1 AND i.connection_id = $2 AND i.external_id = s.invoice_external_id),
         s.invoice_external_id,
         (SELECT p.id FROM payments p WHERE p.tenant_id = $1 AND p.connection_id = $2 AND p.external_id = s.payment_external_id),
         s.payment_external_id,
         (SELECT cn.id FROM invoices cn WHERE cn.tenant_id = $1 AND cn.connection_id = $2 AND cn.external_id = s.credit_note_external_id
                                          AND cn.kind = 'credit_note'),
         s.credit_note_external_id, s.amount_minor, s.currency, s.date, 'source', 100
    FROM chg s
  ON CONFLICT (tenant_id, connection_id, external_id) DO UPDATE SET
    content_hash = EXCLUDED.content_hash, invoice_id = EXCLUDED.invoice_id, invoice_external_id = EXCLUDED.invoice_external_id,
    payment_id = EXCLUDED.payment_id, payment_external_id = EXCLUDED.payment_external_id,
    credit_note_id = EXCLUDED.credit_note_id, credit_note_external_id = EXCLUDED.credit_note_external_id,
    amount_minor = EXCLUDED.amount_minor, currency = EXCLUDED.currency, date = EXCLUDED.date,
    deleted_at = NULL, updated_at = now()
  WHERE t.content_hash IS DISTINCT FROM EXCLUDED.content_hash OR t.deleted_at IS NOT NULL
  RETURNING (xmax = 0) AS inserted
)
${COUNT} FROM up`;
}
