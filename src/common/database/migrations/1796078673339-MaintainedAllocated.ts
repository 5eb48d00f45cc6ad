import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `allocated_minor` on invoices and payments, kept by statement-level triggers (transition
 * tables: one pass per statement, whatever its size), so that reports read each document's
 * open amount instead of aggregating every allocation of the tenant.
 *
 * An allocation counts when it is not deleted, links an invoice to a payment or a credit
 * note, and neither end is void or tombstoned (the reports' "in force" rule). The triggers
 * recompute the documents a statement touched: both ends of the allocations it changed, and
 * the counterparts of the documents whose in-force state it changed.
 *
 * The refresh runs with seq scans disabled: its work is index probes per document, and a
 * bulk import fills the tables within one transaction, where statistics still say "empty"
 * and the planner could otherwise scan the whole allocations table once per document.
 */
/**
 * Recomputes `allocated_minor` of the given documents (invoices, credit notes, payments) in
 * one pass: the allocations touching them, kept when in force, summed per end.
 */
const REFRESH_FUNCTION = `
CREATE FUNCTION lb_refresh_allocated(doc_ids uuid[]) RETURNS void LANGUAGE plpgsql SET enable_seqscan = off AS $$
BEGIN
  -- Nothing to do: no statement, so no statement trigger fires (an UPDATE of no rows would).
  IF cardinality(doc_ids) = 0 THEN RETURN; END IF;
  WITH ids AS (SELECT DISTINCT d.id FROM unnest(doc_ids) AS d(id)),
  touching AS (
    SELECT a.id FROM ids JOIN allocations a ON a.invoice_id = ids.id
    UNION SELECT a.id FROM ids JOIN allocations a ON a.payment_id = ids.id
    UNION SELECT a.id FROM ids JOIN allocations a ON a.credit_note_id = ids.id
  ),
  eff AS (
    SELECT a.invoice_id, a.payment_id, a.credit_note_id, a.amount_minor
      FROM touching t
      JOIN allocations a ON a.id = t.id
      JOIN invoices inv ON inv.id = a.invoice_id
      LEFT JOIN payments pay ON pay.id = a.payment_id
      LEFT JOIN invoices cn ON cn.id = a.credit_note_id
     WHERE a.deleted_at IS NULL AND inv.deleted_at IS NULL AND inv.status NOT IN ('void', 'deleted')
       AND CASE WHEN a.payment_id IS NOT NULL THEN pay.deleted_at IS NULL
                WHEN a.credit_note_id IS NOT NULL THEN cn.deleted_at IS NULL AND cn.status NOT IN ('void', 'deleted')
                ELSE false END
  ),
  -- Per end, keyed by the document's table: an invoice and a payment sharing an id stay apart.
  inv_sums AS (
    SELECT x.id, sum(x.amount_minor) AS s FROM (
      SELECT invoice_id AS id, amount_minor FROM eff
      UNION ALL SELECT credit_note_id, amount_minor FROM eff WHERE payment_id IS NULL
    ) x GROUP BY x.id
  ),
  pay_sums AS (SELECT payment_id AS id, sum(amount_minor) AS s FROM eff WHERE payment_id IS NOT NULL GROUP BY payment_id),
  inv_fresh AS (SELECT ids.id, COALESCE(inv_sums.s, 0) AS s FROM ids LEFT JOIN inv_sums ON inv_sums.id = ids.id),
  pay_fresh AS (SELECT ids.id, COALESCE(pay_sums.s, 0) AS s FROM ids LEFT JOIN pay_sums ON pay_sums.id = ids.id),
  inv_up AS (
    UPDATE invoices i SET allocated_minor = f.s FROM inv_fresh f WHERE i.id = f.id AND i.allocated_minor IS DISTINCT FROM f.s RETURNING 1
  )
  UPDATE payments p SET allocated_minor = f.s FROM pay_fresh f WHERE p.id = f.id AND p.allocated_minor IS DISTINCT FROM f.s;
END $$`;

/** Both ends of the allocations in the transition table(s). */
const ALLOCATIONS_FUNCTION = `
CREATE FUNCTION lb_allocations_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM lb_refresh_allocated(ARRAY(
      SELECT DISTINCT id FROM (SELECT invoice_id FROM lb_new UNION ALL SELECT payment_id FROM lb_new UNION ALL SELECT credit_note_id FROM lb_new) s(id)
       WHERE id IS NOT NULL));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM lb_refresh_allocated(ARRAY(
      SELECT DISTINCT id FROM (SELECT invoice_id FROM lb_old UNION ALL SELECT payment_id FROM lb_old UNION ALL SELECT credit_note_id FROM lb_old) s(id)
       WHERE id IS NOT NULL));
  ELSE
    PERFORM lb_refresh_allocated(ARRAY(
      SELECT DISTINCT id FROM (SELECT invoice_id FROM lb_new UNION ALL SELECT payment_id FROM lb_new UNION ALL SELECT credit_note_id FROM lb_new
                               UNION ALL SELECT invoice_id FROM lb_old UNION ALL SELECT payment_id FROM lb_old UNION ALL SELECT credit_note_id FROM lb_old) s(id)
       WHERE id IS NOT NULL));
  END IF;
  RETURN NULL;
END $$`;

/**
 * Invoices or payments whose in-force state may have changed: themselves and the other ends
 * of their allocations. Rather than joining the old and new transition tables (which the
 * planner, blind to their size, runs as a nested loop: quadratic in the statement's rows),
 * it takes every row out of force before or after the statement, a superset of the changed
 * ones that is empty for ordinary upserts; refreshing a document again is harmless.
 */
function documentsFunction(table: 'invoices' | 'payments'): string {
  const inForce = (r: string) => (table === 'invoices' ? `(${r}.deleted_at IS NULL AND ${r}.status NOT IN ('void', 'deleted'))` : `(${r}.deleted_at IS NULL)`);
  const others =
    table === 'invoices'
      ? `SELECT a.payment_id FROM allocations a WHERE a.invoice_id = ch.id
         UNION ALL SELECT a.credit_note_id FROM allocations a WHERE a.invoice_id = ch.id
         UNION ALL SELECT a.invoice_id FROM allocations a WHERE a.credit_note_id = ch.id`
      : `SELECT a.invoice_id FROM allocations a WHERE a.payment_id = ch.id`;
  return `
CREATE FUNCTION lb_${table}_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM lb_refresh_allocated(ARRAY(
    WITH ch AS (SELECT n.id FROM lb_new n WHERE NOT ${inForce('n')} UNION SELECT o.id FROM lb_old o WHERE NOT ${inForce('o')})
    SELECT DISTINCT id FROM (SELECT id FROM ch UNION ALL SELECT x.id FROM ch, LATERAL (${others}) x(id)) s WHERE id IS NOT NULL));
  RETURN NULL;
END $$`;
}

export class MaintainedAllocated1796078673339 implements MigrationInterface {
  name = 'MaintainedAllocated1796078673339';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"invoices\" ADD \"allocated_minor\" bigint NOT NULL DEFAULT '0'");
    await queryRunner.query("ALTER TABLE \"payments\" ADD \"allocated_minor\" bigint NOT NULL DEFAULT '0'");
    await queryRunner.query("CREATE INDEX \"invoices_issue_idx\" ON \"invoices\"  (\"issue_date\") ");
    await queryRunner.query("CREATE INDEX \"allocations_date_idx\" ON \"allocations\"  (\"date\") ");
    await queryRunner.query("CREATE INDEX \"invoices_open_idx\" ON \"invoices\"  (\"tenant_id\") WHERE total_minor <> allocated_minor AND deleted_at IS NULL");
    await queryRunner.query("CREATE INDEX \"payments_open_idx\" ON \"payments\"  (\"tenant_id\") WHERE amount_minor <> allocated_minor AND deleted_at IS NULL");
    await queryRunner.query(REFRESH_FUNCTION);
    await queryRunner.query(ALLOCATIONS_FUNCTION);
    await queryRunner.query(documentsFunction('invoices'));
    await queryRunner.query(documentsFunction('payments'));
    await queryRunner.query(`CREATE TRIGGER lb_allocations_ins AFTER INSERT ON allocations REFERENCING NEW TABLE AS lb_new FOR EACH STATEMENT EXECUTE FUNCTION lb_allocations_changed()`);
    await queryRunner.query(`CREATE TRIGGER lb_allocations_upd AFTER UPDATE ON allocations REFERENCING OLD TABLE AS lb_old NEW TABLE AS lb_new FOR EACH STATEMENT EXECUTE FUNCTION lb_allocations_changed()`);
    await queryRunner.query(`CREATE TRIGGER lb_allocations_del AFTER DELETE ON allocations REFERENCING OLD TABLE AS lb_old FOR EACH STATEMENT EXECUTE FUNCTION lb_allocations_changed()`);
    await queryRunner.query(`CREATE TRIGGER lb_invoices_upd AFTER UPDATE ON invoices REFERENCING OLD TABLE AS lb_old NEW TABLE AS lb_new FOR EACH STATEMENT EXECUTE FUNCTION lb_invoices_changed()`);
    await queryRunner.query(`CREATE TRIGGER lb_payments_upd AFTER UPDATE ON payments REFERENCING OLD TABLE AS lb_old NEW TABLE AS lb_new FOR EACH STATEMENT EXECUTE FUNCTION lb_payments_changed()`);
    // Existing ledgers: every document that has an allocation.
    await queryRunner.query(`SELECT lb_refresh_allocated(ARRAY(
      SELECT DISTINCT id FROM (SELECT invoice_id FROM allocations UNION ALL SELECT payment_id FROM allocations UNION ALL SELECT credit_note_id FROM allocations) s(id)
       WHERE id IS NOT NULL))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER lb_payments_upd ON payments');
    await queryRunner.query('DROP TRIGGER lb_invoices_upd ON invoices');
    await queryRunner.query('DROP TRIGGER lb_allocations_del ON allocations');
    await queryRunner.query('DROP TRIGGER lb_allocations_upd ON allocations');
    await queryRunner.query('DROP TRIGGER lb_allocations_ins ON allocations');
    await queryRunner.query('DROP FUNCTION lb_payments_changed()');
    await queryRunner.query('DROP FUNCTION lb_invoices_changed()');
    await queryRunner.query('DROP FUNCTION lb_allocations_changed()');
    await queryRunner.query('DROP FUNCTION lb_refresh_allocated(uuid[])');
    await queryRunner.query("DROP INDEX \"public\".\"payments_open_idx\"");
    await queryRunner.query("DROP INDEX \"public\".\"invoices_open_idx\"");
    await queryRunner.query("DROP INDEX \"public\".\"allocations_date_idx\"");
    await queryRunner.query("DROP INDEX \"public\".\"invoices_issue_idx\"");
    await queryRunner.query("ALTER TABLE \"payments\" DROP COLUMN \"allocated_minor\"");
    await queryRunner.query("ALTER TABLE \"invoices\" DROP COLUMN \"allocated_minor\"");
  }
}
