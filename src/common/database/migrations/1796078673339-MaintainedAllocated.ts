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
 */
const IN_FORCE_ALLOCATION = `a.deleted_at IS NULL AND a.invoice_id IS NOT NULL AND COALESCE(a.payment_id, a.credit_note_id) IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM invoices x WHERE x.id = a.invoice_id AND (x.deleted_at IS NOT NULL OR x.status IN ('void', 'deleted')))
      AND NOT EXISTS (SELECT 1 FROM payments x WHERE x.id = a.payment_id AND x.deleted_at IS NOT NULL)
      AND NOT EXISTS (SELECT 1 FROM invoices x WHERE a.payment_id IS NULL AND x.id = a.credit_note_id AND (x.deleted_at IS NOT NULL OR x.status IN ('void', 'deleted')))`;

const REFRESH_FUNCTION = `
CREATE FUNCTION lb_refresh_allocated(doc_ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  -- Nothing to do: no statement, so no statement trigger fires (an UPDATE of no rows would).
  IF cardinality(doc_ids) = 0 THEN RETURN; END IF;
  UPDATE invoices i SET allocated_minor = x.s
    FROM (SELECT d.id,
                 COALESCE((SELECT sum(a.amount_minor) FROM allocations a WHERE a.invoice_id = d.id AND ${IN_FORCE_ALLOCATION}), 0)
               + COALESCE((SELECT sum(a.amount_minor) FROM allocations a WHERE a.credit_note_id = d.id AND a.payment_id IS NULL AND ${IN_FORCE_ALLOCATION}), 0) AS s
            FROM unnest(doc_ids) AS d(id)) x
   WHERE i.id = x.id AND i.allocated_minor IS DISTINCT FROM x.s;
  UPDATE payments p SET allocated_minor = x.s
    FROM (SELECT d.id, COALESCE((SELECT sum(a.amount_minor) FROM allocations a WHERE a.payment_id = d.id AND ${IN_FORCE_ALLOCATION}), 0) AS s
            FROM unnest(doc_ids) AS d(id)) x
   WHERE p.id = x.id AND p.allocated_minor IS DISTINCT FROM x.s;
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

/** Invoices or payments whose in-force state changed: themselves and the other ends of their allocations. */
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
    WITH ch AS (SELECT n.id FROM lb_new n JOIN lb_old o ON o.id = n.id WHERE ${inForce('n')} IS DISTINCT FROM ${inForce('o')})
    SELECT DISTINCT id FROM (SELECT id FROM ch UNION ALL SELECT x.id FROM ch, LATERAL (${others}) x(id)) s WHERE id IS NOT NULL));
  RETURN NULL;
END $$`;
}

export class MaintainedAllocated1796078673339 implements MigrationInterface {
  name = 'MaintainedAllocated1796078673339';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"invoices\" ADD \"allocated_minor\" bigint NOT NULL DEFAULT '0'");
    await queryRunner.query("ALTER TABLE \"payments\" ADD \"allocated_minor\" bigint NOT NULL DEFAULT '0'");
    await queryRunner.query("CREATE INDEX \"invoices_issue_idx\" ON \"invoices\"  (\"tenant_id\", \"issue_date\") ");
    await queryRunner.query("CREATE INDEX \"allocations_date_idx\" ON \"allocations\"  (\"tenant_id\", \"date\") ");
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
