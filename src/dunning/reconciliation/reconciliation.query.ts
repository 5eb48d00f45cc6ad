import { inForceOnSql } from '../../ledger/in-force.query';

/** Methods of allocations made by the matching rules (not by the source, not by hand). */
export const RULE_METHODS = ['reference', 'exact_amount', 'amount_set', 'oldest_first'] as const;

const RULES_SQL_LIST = RULE_METHODS.map((m) => `'${m}'`).join(', ');

/**
 * Rule-made allocations not confirmed by an operator that over-allocate a payment, credit
 * note or invoice (typically after the source brought its own allocations): they give way.
 * `$1` tenant, `$2` now. Answers [rows, count].
 */
export const SUPERSEDE_RULE_ALLOCATIONS_SQL = `
  WITH rule AS MATERIALIZED (
    SELECT a.id, a.payment_id, a.credit_note_id, a.invoice_id FROM allocations a
     WHERE a.tenant_id = $1 AND a.deleted_at IS NULL AND a.method IN (${RULES_SQL_LIST})
       AND NOT EXISTS (SELECT 1 FROM allocation_reviews r WHERE r.tenant_id = $1 AND r.allocation_id = a.id AND r.decision = 'confirmed')
  ),
  over_pay AS (
    SELECT p.id FROM payments p
     WHERE p.id IN (SELECT payment_id FROM rule)
       AND p.amount_minor < (SELECT sum(x.amount_minor) FROM allocations x WHERE x.payment_id = p.id AND x.deleted_at IS NULL)
  ),
  over_cn AS (
    SELECT cn.id FROM invoices cn
     WHERE cn.id IN (SELECT credit_note_id FROM rule)
       AND cn.total_minor < (SELECT sum(x.amount_minor) FROM allocations x WHERE x.credit_note_id = cn.id AND x.deleted_at IS NULL)
  ),
  over_inv AS (
    SELECT i.id FROM invoices i
     WHERE i.id IN (SELECT invoice_id FROM rule)
       AND i.total_minor < (SELECT sum(x.amount_minor) FROM allocations x WHERE x.invoice_id = i.id AND x.deleted_at IS NULL)
  )
  UPDATE allocations a SET deleted_at = $2, updated_at = $2
    FROM rule
   WHERE a.id = rule.id
     AND (rule.payment_id IN (SELECT id FROM over_pay) OR rule.credit_note_id IN (SELECT id FROM over_cn) OR rule.invoice_id IN (SELECT id FROM over_inv))
  RETURNING a.id`;

/**
 * Payments and credit notes with an unallocated remainder, with a known customer, into the
 * transaction's temp table `rec_sources`, with their label lower-cased and whether it is plain
 * ASCII (see REFERENCE_HITS_SQL). `$1` tenant.
 */
export const COLLECT_SOURCES_SQL = `
  CREATE TEMP TABLE rec_sources ON COMMIT DROP AS
  WITH pay_alloc AS (
    SELECT payment_id AS id, sum(amount_minor) AS s FROM allocations
     WHERE tenant_id = $1 AND deleted_at IS NULL AND payment_id IS NOT NULL GROUP BY payment_id
  ),
  cn_alloc AS (
    SELECT credit_note_id AS id, sum(amount_minor) AS s FROM allocations
     WHERE tenant_id = $1 AND deleted_at IS NULL AND credit_note_id IS NOT NULL GROUP BY credit_note_id
  )
  SELECT x.*, lower(NULLIF(x.label, '')) AS label_lc, octet_length(x.label) = char_length(x.label) AS label_ascii FROM (
  SELECT 'payment'::text AS kind, p.id, p.customer_id, p.currency::text AS currency, p.date, p.amount_minor - COALESCE(pa.s, 0) AS remaining,
         p.reference AS label
    FROM payments p LEFT JOIN pay_alloc pa ON pa.id = p.id
   WHERE p.tenant_id = $1 AND p.deleted_at IS NULL AND p.customer_id IS NOT NULL AND p.amount_minor > COALESCE(pa.s, 0)
  UNION ALL
  SELECT 'credit_note', cn.id, cn.customer_id, cn.currency::text, cn.issue_date, cn.total_minor - COALESCE(ca.s, 0),
         concat_ws(' ', cn.reference, cn.number)
    FROM invoices cn LEFT JOIN cn_alloc ca ON ca.id = cn.id
   WHERE cn.tenant_id = $1 AND cn.kind = 'credit_note' AND cn.deleted_at IS NULL AND cn.status NOT IN ('void', 'deleted')
     AND cn.customer_id IS NOT NULL AND cn.total_minor > COALESCE(ca.s, 0)
  ) x`;

export const SELECT_SOURCES_SQL = `
  SELECT kind, id, customer_id, currency, to_char(date, 'YYYY-MM-DD') AS date, remaining::text AS remaining FROM rec_sources`;

/** Open invoices of the customers that have something to match, into the transaction's temp table `rec_invoices`. `$1` tenant. */
export const COLLECT_INVOICES_SQL = `
  CREATE TEMP TABLE rec_invoices ON COMMIT DROP AS
  WITH inv_alloc AS (
    SELECT invoice_id AS id, sum(amount_minor) AS s FROM allocations
     WHERE tenant_id = $1 AND deleted_at IS NULL AND invoice_id IS NOT NULL GROUP BY invoice_id
  )
  SELECT i.id, i.customer_id, i.currency::text AS currency, i.number, lower(i.number) AS number_lc,
         octet_length(i.number) = char_length(i.number) AS number_ascii, i.issue_date, COALESCE(i.due_date, i.issue_date) AS due_date,
         i.total_minor - COALESCE(ia.s, 0) AS remaining
    FROM invoices i LEFT JOIN inv_alloc ia ON ia.id = i.id
   WHERE i.tenant_id = $1 AND i.kind = 'invoice' AND i.deleted_at IS NULL AND i.status NOT IN ('void', 'deleted')
     AND i.total_minor > COALESCE(ia.s, 0)
     AND i.customer_id IN (SELECT DISTINCT customer_id FROM rec_sources)`;

export const SELECT_INVOICES_SQL = `
  SELECT id, customer_id, currency, to_char(issue_date, 'YYYY-MM-DD') AS issue_date, to_char(due_date, 'YYYY-MM-DD') AS due_date,
         remaining::text AS remaining
    FROM rec_invoices`;

/**
 * Open invoices (`rec_invoices`: the rules never allocate to others) whose number is found as a
 * whole token in a source's reference or label (case-insensitive; `F-1` does not match `F-10`),
 * same customer and currency. The pattern built from each number is compiled per pair, so when
 * label and number are plain ASCII (lower-casing keeps positions, letters and digits are
 * [a-z0-9]) the first occurrence is checked by hand first; the pattern decides otherwise.
 */
export const REFERENCE_HITS_SQL = `
  SELECT s.id AS source_id, i.id AS invoice_id
    FROM rec_sources s
    JOIN rec_invoices i ON i.customer_id = s.customer_id AND i.currency = s.currency AND length(i.number) >= 2
   WHERE s.label_lc IS NOT NULL
     AND strpos(s.label_lc, i.number_lc) > 0
     AND ((s.label_ascii AND i.number_ascii
           AND (strpos(s.label_lc, i.number_lc) = 1 OR substr(s.label_lc, strpos(s.label_lc, i.number_lc) - 1, 1) !~ '[a-z0-9]')
           AND substr(s.label_lc, strpos(s.label_lc, i.number_lc) + length(i.number_lc), 1) !~ '[a-z0-9]')
          OR s.label ~* ('(^|[^[:alnum:]])' || regexp_replace(i.number, '([^[:alnum:][:space:]])', '\\\\\\1', 'g') || '($|[^[:alnum:]])'))`;

export const REJECTED_PAIRS_SQL = `
  SELECT COALESCE(payment_id, credit_note_id)::text || '|' || invoice_id::text AS pair
    FROM allocation_reviews WHERE tenant_id = $1 AND decision = 'rejected'`;

/** Inserts rule-made allocations given as a JSON array. `$1` tenant, `$2` JSON, `$3` now. */
export const INSERT_RULE_ALLOCATIONS_SQL = `
  INSERT INTO allocations (tenant_id, invoice_id, payment_id, credit_note_id, amount_minor, currency, date, method, confidence, created_by, created_at, updated_at, in_force_on)
  SELECT $1, x.invoice_id, x.payment_id, x.credit_note_id, x.amount_minor, i.currency, x.date, x.method, x.confidence, 'system', $3, $3,
         ${inForceOnSql('x.date', 'i', 'p', 'cn')}
    FROM jsonb_to_recordset($2::jsonb) AS x(invoice_id uuid, payment_id uuid, credit_note_id uuid, amount_minor bigint, date date, method text, confidence int)
    JOIN invoices i ON i.id = x.invoice_id AND i.tenant_id = $1
    LEFT JOIN payments p ON p.id = x.payment_id
    LEFT JOIN invoices cn ON cn.id = x.credit_note_id`;
