import type { DataSource } from 'typeorm';

/**
 * Every document of the tenant whose stored `allocated_minor` differs from a recomputation by
 * the reports' in-force rule (allocations not deleted, both ends in force), with both figures.
 */
export function allocatedDrift(ds: DataSource, tenantId: string): Promise<Array<{ external_id: string; stored: number; expected: number }>> {
  return ds.query(
    `WITH eff AS (
       SELECT a.* FROM allocations a
        WHERE a.tenant_id = $1 AND a.deleted_at IS NULL AND a.invoice_id IS NOT NULL AND COALESCE(a.payment_id, a.credit_note_id) IS NOT NULL
          AND EXISTS (SELECT 1 FROM invoices i WHERE i.id = a.invoice_id AND i.deleted_at IS NULL AND i.status NOT IN ('void', 'deleted'))
          AND (a.payment_id IS NULL OR EXISTS (SELECT 1 FROM payments p WHERE p.id = a.payment_id AND p.deleted_at IS NULL))
          AND (a.payment_id IS NOT NULL OR EXISTS (SELECT 1 FROM invoices c WHERE c.id = a.credit_note_id AND c.deleted_at IS NULL AND c.status NOT IN ('void', 'deleted')))
     )
     SELECT external_id, allocated_minor::int AS stored, expected FROM (
       SELECT i.external_id, i.allocated_minor,
              (SELECT COALESCE(sum(amount_minor), 0)::int FROM eff WHERE eff.invoice_id = i.id OR (eff.payment_id IS NULL AND eff.credit_note_id = i.id)) AS expected
         FROM invoices i WHERE i.tenant_id = $1
       UNION ALL
       SELECT p.external_id, p.allocated_minor, (SELECT COALESCE(sum(amount_minor), 0)::int FROM eff WHERE eff.payment_id = p.id)
         FROM payments p WHERE p.tenant_id = $1
     ) x WHERE allocated_minor <> expected`,
    [tenantId],
  );
}

/**
 * Every allocation of the tenant whose stored `in_force_on` differs from a recomputation by
 * the same rule (latest of its date and its ends' dates; null when deleted or an end is void,
 * deleted or missing), with both values.
 */
export function inForceDrift(ds: Pick<DataSource, 'query'>, tenantId: string): Promise<Array<{ external_id: string | null; stored: string | null; expected: string | null }>> {
  return ds.query(
    `SELECT a.external_id, to_char(a.in_force_on, 'YYYY-MM-DD') AS stored, to_char(x.expected, 'YYYY-MM-DD') AS expected
       FROM allocations a
       CROSS JOIN LATERAL (
         SELECT CASE
                  WHEN a.deleted_at IS NOT NULL THEN NULL
                  WHEN a.payment_id IS NOT NULL THEN (
                    SELECT GREATEST(a.date, i.issue_date, p.date) FROM invoices i, payments p
                     WHERE i.id = a.invoice_id AND i.deleted_at IS NULL AND i.status NOT IN ('void', 'deleted') AND p.id = a.payment_id AND p.deleted_at IS NULL)
                  WHEN a.credit_note_id IS NOT NULL THEN (
                    SELECT GREATEST(a.date, i.issue_date, c.issue_date) FROM invoices i, invoices c
                     WHERE i.id = a.invoice_id AND i.deleted_at IS NULL AND i.status NOT IN ('void', 'deleted')
                       AND c.id = a.credit_note_id AND c.deleted_at IS NULL AND c.status NOT IN ('void', 'deleted'))
                END AS expected
       ) x
      WHERE a.tenant_id = $1 AND a.in_force_on IS DISTINCT FROM x.expected`,
    [tenantId],
  );
}

/**
 * Every allocation of the tenant whose ends' figures kept by the database (`payment_date`,
 * `invoice_customer_id`, `invoice_ref_date`) differ from a reading of its ends by their rule,
 * both as `date|customer|ref date`.
 */
export function allocationEndsDrift(ds: DataSource, tenantId: string): Promise<Array<{ id: string; stored: string; expected: string }>> {
  return ds.query(
    `SELECT a.id, format('%s|%s|%s', a.payment_date, a.invoice_customer_id, a.invoice_ref_date) AS stored,
            format('%s|%s|%s', p.date, i.customer_id, COALESCE(i.due_date, i.issue_date)) AS expected
       FROM allocations a
       LEFT JOIN payments p ON p.id = a.payment_id AND p.deleted_at IS NULL
       LEFT JOIN invoices i ON i.id = a.invoice_id AND i.tenant_id = a.tenant_id AND i.kind = 'invoice'
                           AND i.deleted_at IS NULL AND i.status NOT IN ('void', 'deleted')
      WHERE a.tenant_id = $1
        AND (a.payment_date, a.invoice_customer_id, a.invoice_ref_date) IS DISTINCT FROM (p.date, i.customer_id, COALESCE(i.due_date, i.issue_date))`,
    [tenantId],
  );
}

/** Every drift of the tenant: maintained allocated amounts, in-force dates and ends' figures against their rules. */
export async function ledgerDrift(ds: DataSource, tenantId: string) {
  return { allocated: await allocatedDrift(ds, tenantId), inForce: await inForceDrift(ds, tenantId), ends: await allocationEndsDrift(ds, tenantId) };
}

export const NO_DRIFT = { allocated: [], inForce: [], ends: [] };
