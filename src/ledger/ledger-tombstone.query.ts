import type { LedgerTable } from './sync-counts';

/**
 * Tombstones (`deleted_at`; invoices also get status `deleted`). A tombstoned payment,
 * invoice or credit note also tombstones the allocations that point to it, in the same
 * statement, so the invoice it paid re-opens. A re-sent row clears its tombstone (upsert).
 *
 * Params: $1 tenant, $2 connection, $3 deleted_at (timestamptz), $4 text[]:
 * - `byExternalId`: the external ids to tombstone;
 * - `unseen` (snapshot end): rows of the connection whose external id is not in the
 *   transaction's temp table `lb_seen_<table>`; for invoices $4 lists the kinds concerned.
 * Answers `deleted` (rows of the table) and `cascaded` (allocations).
 */
export function tombstoneSql(table: LedgerTable, selector: 'byExternalId' | 'unseen'): string {
  const where =
    selector === 'byExternalId'
      ? 't.external_id = ANY($4::text[])'
      : `NOT EXISTS (SELECT 1 FROM pg_temp.lb_seen_${table} s WHERE s.external_id = t.external_id)` +
        (table === 'invoices' ? ' AND t.kind = ANY($4::text[])' : ' AND cardinality($4::text[]) >= 0');
  const cascadeOn: Partial<Record<LedgerTable, string>> = {
    payments: 'a.payment_id = gone.id',
    invoices: '(a.invoice_id = gone.id OR a.credit_note_id = gone.id)',
  };
  const cascade = cascadeOn[table];
  return `
WITH gone AS (
  UPDATE ${table} t SET deleted_at = $3, updated_at = now()${table === 'invoices' ? ", status = 'deleted'" : ''}
   WHERE t.tenant_id = $1 AND t.connection_id = $2 AND t.deleted_at IS NULL AND ${where}
  RETURNING t.id
)${
    cascade
      ? `, casc AS (
  UPDATE allocations a SET deleted_at = $3, updated_at = now()
    FROM gone
   WHERE a.tenant_id = $1 AND a.deleted_at IS NULL AND ${cascade}
  RETURNING 1
)
SELECT (SELECT count(*) FROM gone)::int AS deleted, (SELECT count(*) FROM casc)::int AS cascaded`
      : `
SELECT count(*)::int AS deleted, 0 AS cascaded FROM gone`
  }`;
}

/** The transaction's set of external ids seen by a snapshot pull, per table. */
export function createSeenTableSql(table: LedgerTable): string {
  return `CREATE TEMP TABLE lb_seen_${table} (external_id text NOT NULL) ON COMMIT DROP`;
}

/**
 * Before the anti-join: an index and fresh statistics on the seen set, so the plan stays
 * O(n log n) even when the ledger table's statistics are stale (rows written in this very
 * transaction are invisible to autovacuum's ANALYZE).
 */
export function prepareSeenTableSql(table: LedgerTable): string[] {
  return [`CREATE INDEX ON pg_temp.lb_seen_${table} (external_id)`, `ANALYZE pg_temp.lb_seen_${table}`];
}
