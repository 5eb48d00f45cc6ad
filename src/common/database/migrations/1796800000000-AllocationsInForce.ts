import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `allocations.in_force_on`: the date from which an allocation counts in the reports as of a
 * date, kept by the database. It is the latest of the allocation's date and its two ends'
 * dates (invoice issue date; payment date, or credit note issue date), and NULL when the
 * allocation never counts: deleted, or an end void, deleted or missing (the in-force rule of
 * `allocated_minor`, 1796078673339-MaintainedAllocated). So:
 * - `allocated_minor` of a document is the sum of its allocations whose `in_force_on` is set;
 * - as of a date D, the allocations in force are those with `in_force_on <= D`, and those
 *   counted today but not yet in force at D those with `in_force_on > D`, read through
 *   `allocations_in_force_idx` without joining the ends (the reports' `historical` and
 *   `recent` ledger views, src/dunning/analytics/open-items.query.ts).
 *
 * The writers that insert many allocations (sync pages, bulk snapshots, reconciliation)
 * compute it in their statement from the ends they join anyway; statement triggers check
 * every written row against the rule and correct any that differ (a writer that does not
 * compute it, such as a manual allocation, gets it corrected), and recompute the allocations
 * of invoices and payments whose date or in-force state an UPDATE changed. The correction
 * leaves `allocated_minor` alone (`ledgerbridge.allocated_by_caller` around it): it changes
 * no in-force state, only the date.
 *
 * The functions look up each row's ends by key (LATERAL … LIMIT 1, seq scans disabled as in
 * the allocated refresh) and the allocations of changed documents by `= ANY` of their ids,
 * only when some changed: the planner knows nothing of a transition table, and with plain
 * joins it hashed whole tables on every statement (`bench:sync`, first pass: 12.1 s of database
 * CPU against 8.3 s without these triggers). The documents' functions find the changed rows by
 * grouping the union of the statement's old and new rows: joined, the two transition tables
 * went through a nested loop, 15 ms per page of 1,000 invoices (the pass where every record
 * changed took 37 s of database CPU instead of 17 s).
 */

/** The rule, for allocation `a` joined to its ends `i` (invoice), `p` (payment) and `cn` (credit note). */
const RULE = `CASE WHEN a.deleted_at IS NULL AND i.deleted_at IS NULL AND i.status NOT IN ('void', 'deleted')
            AND CASE WHEN a.payment_id IS NOT NULL THEN p.deleted_at IS NULL
                     WHEN a.credit_note_id IS NOT NULL THEN cn.deleted_at IS NULL AND cn.status NOT IN ('void', 'deleted')
                     ELSE false END
       THEN GREATEST(a.date, i.issue_date, CASE WHEN a.payment_id IS NOT NULL THEN p.date ELSE cn.issue_date END) END`;

/** The ends of allocation `a`, each looked up by its key (LIMIT 1 keeps the planner from joining whole tables). */
const ENDS = (a: string) => `
      LEFT JOIN LATERAL (SELECT i.issue_date, i.status, i.deleted_at FROM invoices i WHERE i.id = ${a}.invoice_id LIMIT 1) i ON true
      LEFT JOIN LATERAL (SELECT p.date, p.deleted_at FROM payments p WHERE p.id = ${a}.payment_id LIMIT 1) p ON true
      LEFT JOIN LATERAL (SELECT cn.issue_date, cn.status, cn.deleted_at FROM invoices cn
                          WHERE cn.id = ${a}.credit_note_id AND ${a}.payment_id IS NULL LIMIT 1) cn ON true`;

/** Sets `in_force_on` of the allocations `ids` where it differs from the rule. */
const REFRESH_FUNCTION = `
CREATE FUNCTION lb_refresh_in_force(ids uuid[]) RETURNS void LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  by_caller text := current_setting('ledgerbridge.allocated_by_caller', true);
BEGIN
  IF COALESCE(cardinality(ids), 0) = 0 THEN RETURN; END IF;
  PERFORM set_config('ledgerbridge.allocated_by_caller', 'on', true);
  UPDATE allocations t SET in_force_on = f.v
    FROM (SELECT a.id, ${RULE} AS v
            FROM allocations a ${ENDS('a')}
           WHERE a.id = ANY(ids)) f
   WHERE t.id = f.id AND t.in_force_on IS DISTINCT FROM f.v;
  PERFORM set_config('ledgerbridge.allocated_by_caller', COALESCE(by_caller, ''), true);
END $$`;

/** After an INSERT or UPDATE of allocations: the written rows whose value differs from the rule. */
const ALLOCATIONS_FUNCTION = `
CREATE FUNCTION lb_allocations_in_force() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
BEGIN
  PERFORM lb_refresh_in_force(ARRAY(
    SELECT a.id FROM lb_new a ${ENDS('a')}
     WHERE a.in_force_on IS DISTINCT FROM ${RULE}));
  RETURN NULL;
END $$`;

/** After an UPDATE of invoices or payments: the allocations of the rows whose date or in-force state changed. */
function documentsFunction(table: 'invoices' | 'payments'): string {
  const inForce = (r: string) => (table === 'invoices' ? `(${r}.deleted_at IS NULL AND ${r}.status NOT IN ('void', 'deleted'))` : `(${r}.deleted_at IS NULL)`);
  const date = table === 'invoices' ? 'issue_date' : 'date';
  // A row whose date or in-force state changed is two distinct rows in the union of old and new.
  const ch = `ARRAY(SELECT x.id FROM (SELECT n.id, n.${date}, ${inForce('n')} FROM lb_new n UNION SELECT o.id, o.${date}, ${inForce('o')} FROM lb_old o) x
                     GROUP BY x.id HAVING count(*) > 1)`;
  const allocations =
    table === 'invoices'
      ? `SELECT a.id FROM allocations a WHERE a.invoice_id = ANY(ch) UNION SELECT a.id FROM allocations a WHERE a.credit_note_id = ANY(ch)`
      : `SELECT a.id FROM allocations a WHERE a.payment_id = ANY(ch)`;
  return `
CREATE FUNCTION lb_${table}_in_force() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ch uuid[] := ${ch};
BEGIN
  IF cardinality(ch) > 0 THEN
    PERFORM lb_refresh_in_force(ARRAY(${allocations}));
  END IF;
  RETURN NULL;
END $$`;
}

export class AllocationsInForce1796800000000 implements MigrationInterface {
  name = 'AllocationsInForce1796800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE allocations ADD COLUMN in_force_on date');
    // Existing rows: allocated amounts do not change, so the allocations trigger stays out of it.
    await queryRunner.query(`SELECT set_config('ledgerbridge.allocated_by_caller', 'on', true)`);
    await queryRunner.query(`UPDATE allocations t SET in_force_on = f.v FROM (SELECT a.id, ${RULE} AS v FROM allocations a ${ENDS('a')}) f WHERE t.id = f.id AND f.v IS NOT NULL`);
    await queryRunner.query(`SELECT set_config('ledgerbridge.allocated_by_caller', '', true)`);
    await queryRunner.query('CREATE INDEX allocations_in_force_idx ON allocations (tenant_id, in_force_on)');
    await queryRunner.query(REFRESH_FUNCTION);
    await queryRunner.query(ALLOCATIONS_FUNCTION);
    await queryRunner.query(documentsFunction('invoices'));
    await queryRunner.query(documentsFunction('payments'));
    await queryRunner.query('CREATE TRIGGER lb_allocations_in_force_ins AFTER INSERT ON allocations REFERENCING NEW TABLE AS lb_new FOR EACH STATEMENT EXECUTE FUNCTION lb_allocations_in_force()');
    await queryRunner.query('CREATE TRIGGER lb_allocations_in_force_upd AFTER UPDATE ON allocations REFERENCING NEW TABLE AS lb_new FOR EACH STATEMENT EXECUTE FUNCTION lb_allocations_in_force()');
    await queryRunner.query('CREATE TRIGGER lb_invoices_in_force AFTER UPDATE ON invoices REFERENCING OLD TABLE AS lb_old NEW TABLE AS lb_new FOR EACH STATEMENT EXECUTE FUNCTION lb_invoices_in_force()');
    await queryRunner.query('CREATE TRIGGER lb_payments_in_force AFTER UPDATE ON payments REFERENCING OLD TABLE AS lb_old NEW TABLE AS lb_new FOR EACH STATEMENT EXECUTE FUNCTION lb_payments_in_force()');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER lb_payments_in_force ON payments');
    await queryRunner.query('DROP TRIGGER lb_invoices_in_force ON invoices');
    await queryRunner.query('DROP TRIGGER lb_allocations_in_force_upd ON allocations');
    await queryRunner.query('DROP TRIGGER lb_allocations_in_force_ins ON allocations');
    await queryRunner.query('DROP FUNCTION lb_payments_in_force()');
    await queryRunner.query('DROP FUNCTION lb_invoices_in_force()');
    await queryRunner.query('DROP FUNCTION lb_allocations_in_force()');
    await queryRunner.query('DROP FUNCTION lb_refresh_in_force(uuid[])');
    await queryRunner.query('DROP INDEX allocations_in_force_idx');
    await queryRunner.query('ALTER TABLE allocations DROP COLUMN in_force_on');
  }
}
