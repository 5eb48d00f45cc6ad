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
