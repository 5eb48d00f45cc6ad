import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the payer scores and the cash forecast read of an allocation's two ends, kept on the
 * allocation by the database, so that a customer's payment behaviour (days beyond terms
 * weighted by amount) is one pass over the allocations instead of a join of every allocation
 * to its invoice and its payment (on 200,000 invoices, that join was most of both reports):
 *
 * - `payment_date`: the date of its payment while the payment is not tombstoned; else null
 *   (no payment: a credit note's allocation, or one waiting for its payment).
 * - `invoice_customer_id`, `invoice_ref_date`: the customer and the due date (issue date
 *   without one) of its invoice while that is an invoice (not a credit note) of the
 *   allocation's tenant, neither void, deleted nor tombstoned; else both null.
 *
 * Kept by row triggers: before an allocation is inserted, or updated with other ends (or with
 * these columns written by anyone else), they are read from its ends; after an invoice or a
 * payment changes what they hold, its allocations are rewritten. Each fires only on such a
 * change (WHEN clauses, evaluated without calling the function), so ordinary upserts that
 * leave the ends' dates, customer and state alone cost two index lookups per inserted
 * allocation. The fill locks both ends FOR SHARE while it reads them (about 1.5 µs more per
 * allocation): a transaction changing an end's date, customer or state either commits before
 * the allocation reads it (which then waits and reads the new row), or waits for the
 * allocation's transaction and then rewrites it, now visible, in its own trigger.
 * The functions run with seq scans disabled, as the allocated-amount refresh does: a bulk
 * import fills the tables within one transaction, where statistics still say "empty", and the
 * planner could otherwise scan the whole payments table once per allocation.
 */
const FILL_FUNCTION = `
CREATE FUNCTION lb_allocation_ends() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  pay_date date; pay_deleted timestamptz;
  inv_tenant uuid; inv_kind text; inv_status text; inv_deleted timestamptz; inv_customer uuid; inv_ref date;
BEGIN
  -- Locked (FOR SHARE) while read: a transaction changing an end waits for this one, or this one for it.
  SELECT p.date, p.deleted_at INTO pay_date, pay_deleted FROM payments p WHERE p.id = NEW.payment_id FOR SHARE;
  NEW.payment_date := CASE WHEN pay_deleted IS NULL THEN pay_date END;
  SELECT i.tenant_id, i.kind, i.status, i.deleted_at, i.customer_id, COALESCE(i.due_date, i.issue_date)
    INTO inv_tenant, inv_kind, inv_status, inv_deleted, inv_customer, inv_ref
    FROM invoices i WHERE i.id = NEW.invoice_id FOR SHARE;
  IF inv_tenant = NEW.tenant_id AND inv_kind = 'invoice' AND inv_deleted IS NULL AND inv_status NOT IN ('void', 'deleted') THEN
    NEW.invoice_customer_id := inv_customer;
    NEW.invoice_ref_date := inv_ref;
  ELSE
    NEW.invoice_customer_id := NULL;
    NEW.invoice_ref_date := NULL;
  END IF;
  RETURN NEW;
END $$`;

/** The invoice's allocations, rewritten when what they hold of it differs (the fill trigger recomputes them). */
const INVOICE_FUNCTION = `
CREATE FUNCTION lb_invoice_ends_changed() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  inforce boolean := NEW.kind = 'invoice' AND NEW.deleted_at IS NULL AND NEW.status NOT IN ('void', 'deleted');
  customer uuid := CASE WHEN inforce THEN NEW.customer_id END;
  ref date := CASE WHEN inforce THEN COALESCE(NEW.due_date, NEW.issue_date) END;
BEGIN
  -- Only when a row changes: an UPDATE of no rows would still run the allocations' statement triggers.
  PERFORM 1 FROM allocations a WHERE a.invoice_id = NEW.id
     AND (a.invoice_customer_id, a.invoice_ref_date) IS DISTINCT FROM (CASE WHEN a.tenant_id = NEW.tenant_id THEN customer END, CASE WHEN a.tenant_id = NEW.tenant_id THEN ref END)
   LIMIT 1;
  IF FOUND THEN
    UPDATE allocations a SET invoice_customer_id = CASE WHEN a.tenant_id = NEW.tenant_id THEN customer END,
                             invoice_ref_date = CASE WHEN a.tenant_id = NEW.tenant_id THEN ref END
     WHERE a.invoice_id = NEW.id
       AND (a.invoice_customer_id, a.invoice_ref_date) IS DISTINCT FROM (CASE WHEN a.tenant_id = NEW.tenant_id THEN customer END, CASE WHEN a.tenant_id = NEW.tenant_id THEN ref END);
  END IF;
  RETURN NULL;
END $$`;

const PAYMENT_FUNCTION = `
CREATE FUNCTION lb_payment_ends_changed() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  paid date := CASE WHEN NEW.deleted_at IS NULL THEN NEW.date END;
BEGIN
  PERFORM 1 FROM allocations a WHERE a.payment_id = NEW.id AND a.payment_date IS DISTINCT FROM paid LIMIT 1;
  IF FOUND THEN
    UPDATE allocations a SET payment_date = paid WHERE a.payment_id = NEW.id AND a.payment_date IS DISTINCT FROM paid;
  END IF;
  RETURN NULL;
END $$`;

const INVOICE_CHANGED = `OLD.customer_id IS DISTINCT FROM NEW.customer_id OR OLD.due_date IS DISTINCT FROM NEW.due_date
  OR OLD.issue_date IS DISTINCT FROM NEW.issue_date OR OLD.kind IS DISTINCT FROM NEW.kind OR OLD.tenant_id IS DISTINCT FROM NEW.tenant_id
  OR (OLD.deleted_at IS NULL) IS DISTINCT FROM (NEW.deleted_at IS NULL)
  OR (OLD.status IN ('void', 'deleted')) IS DISTINCT FROM (NEW.status IN ('void', 'deleted'))`;

const ALLOCATION_CHANGED = `OLD.invoice_id IS DISTINCT FROM NEW.invoice_id OR OLD.payment_id IS DISTINCT FROM NEW.payment_id
  OR OLD.tenant_id IS DISTINCT FROM NEW.tenant_id OR OLD.payment_date IS DISTINCT FROM NEW.payment_date
  OR OLD.invoice_customer_id IS DISTINCT FROM NEW.invoice_customer_id OR OLD.invoice_ref_date IS DISTINCT FROM NEW.invoice_ref_date`;

export class AllocationEnds1796600000000 implements MigrationInterface {
  name = 'AllocationEnds1796600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "allocations" ADD "payment_date" date');
    await queryRunner.query('ALTER TABLE "allocations" ADD "invoice_customer_id" uuid');
    await queryRunner.query('ALTER TABLE "allocations" ADD "invoice_ref_date" date');
    await queryRunner.query(FILL_FUNCTION);
    await queryRunner.query(INVOICE_FUNCTION);
    await queryRunner.query(PAYMENT_FUNCTION);
    await queryRunner.query(`CREATE TRIGGER lb_allocations_ends_ins BEFORE INSERT ON allocations FOR EACH ROW EXECUTE FUNCTION lb_allocation_ends()`);
    await queryRunner.query(`CREATE TRIGGER lb_allocations_ends_upd BEFORE UPDATE ON allocations FOR EACH ROW WHEN (${ALLOCATION_CHANGED}) EXECUTE FUNCTION lb_allocation_ends()`);
    await queryRunner.query(`CREATE TRIGGER lb_invoices_ends AFTER UPDATE ON invoices FOR EACH ROW WHEN (${INVOICE_CHANGED}) EXECUTE FUNCTION lb_invoice_ends_changed()`);
    await queryRunner.query(
      `CREATE TRIGGER lb_payments_ends AFTER UPDATE ON payments FOR EACH ROW
       WHEN (OLD.date IS DISTINCT FROM NEW.date OR (OLD.deleted_at IS NULL) IS DISTINCT FROM (NEW.deleted_at IS NULL)) EXECUTE FUNCTION lb_payment_ends_changed()`,
    );
    // Existing ledgers: every allocation with something to hold, read from its ends by the rule of the fill function.
    await queryRunner.query(`
      UPDATE allocations a SET payment_date = e.payment_date, invoice_customer_id = e.customer_id, invoice_ref_date = e.ref_date
        FROM (SELECT x.id, p.date AS payment_date, i.customer_id, COALESCE(i.due_date, i.issue_date) AS ref_date
                FROM allocations x
                LEFT JOIN payments p ON p.id = x.payment_id AND p.deleted_at IS NULL
                LEFT JOIN invoices i ON i.id = x.invoice_id AND i.tenant_id = x.tenant_id AND i.kind = 'invoice'
                                    AND i.deleted_at IS NULL AND i.status NOT IN ('void', 'deleted')) e
       WHERE e.id = a.id AND (e.payment_date IS NOT NULL OR e.ref_date IS NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER lb_payments_ends ON payments');
    await queryRunner.query('DROP TRIGGER lb_invoices_ends ON invoices');
    await queryRunner.query('DROP TRIGGER lb_allocations_ends_upd ON allocations');
    await queryRunner.query('DROP TRIGGER lb_allocations_ends_ins ON allocations');
    await queryRunner.query('DROP FUNCTION lb_payment_ends_changed()');
    await queryRunner.query('DROP FUNCTION lb_invoice_ends_changed()');
    await queryRunner.query('DROP FUNCTION lb_allocation_ends()');
    await queryRunner.query('ALTER TABLE "allocations" DROP COLUMN "invoice_ref_date"');
    await queryRunner.query('ALTER TABLE "allocations" DROP COLUMN "invoice_customer_id"');
    await queryRunner.query('ALTER TABLE "allocations" DROP COLUMN "payment_date"');
  }
}
