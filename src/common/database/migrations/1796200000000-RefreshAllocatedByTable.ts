import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The allocated-amount refresh (1796078673339-MaintainedAllocated) takes the invoices and the
 * payments to recompute as two lists instead of one: a trigger knows which end an id comes
 * from, and with one list every id was looked up in both tables and in the three allocation
 * indexes. Same rule, same results; about half the index probes per statement (the refresh
 * runs for every page a sync writes).
 */

/** The allocations in force touching the documents, summed per end (rule unchanged). */
const REFRESH_FUNCTION = `
CREATE FUNCTION lb_refresh_allocated(inv_ids uuid[], pay_ids uuid[]) RETURNS void LANGUAGE plpgsql SET enable_seqscan = off AS $$
BEGIN
  -- Nothing to do: no statement, so no statement trigger fires (an UPDATE of no rows would).
  IF COALESCE(cardinality(inv_ids), 0) = 0 AND COALESCE(cardinality(pay_ids), 0) = 0 THEN RETURN; END IF;
  WITH inv AS (SELECT DISTINCT d.id FROM unnest(inv_ids) AS d(id) WHERE d.id IS NOT NULL),
  pay AS (SELECT DISTINCT d.id FROM unnest(pay_ids) AS d(id) WHERE d.id IS NOT NULL),
  touching AS (
    SELECT a.id FROM inv JOIN allocations a ON a.invoice_id = inv.id
    UNION SELECT a.id FROM inv JOIN allocations a ON a.credit_note_id = inv.id
    UNION SELECT a.id FROM pay JOIN allocations a ON a.payment_id = pay.id
  ),
  eff AS (
    SELECT a.invoice_id, a.payment_id, a.credit_note_id, a.amount_minor
      FROM touching t
      JOIN allocations a ON a.id = t.id
      JOIN invoices i ON i.id = a.invoice_id
      LEFT JOIN payments p ON p.id = a.payment_id
      LEFT JOIN invoices cn ON cn.id = a.credit_note_id
     WHERE a.deleted_at IS NULL AND i.deleted_at IS NULL AND i.status NOT IN ('void', 'deleted')
       AND CASE WHEN a.payment_id IS NOT NULL THEN p.deleted_at IS NULL
                WHEN a.credit_note_id IS NOT NULL THEN cn.deleted_at IS NULL AND cn.status NOT IN ('void', 'deleted')
                ELSE false END
  ),
  inv_sums AS (
    SELECT x.id, sum(x.amount_minor) AS s FROM (
      SELECT invoice_id AS id, amount_minor FROM eff
      UNION ALL SELECT credit_note_id, amount_minor FROM eff WHERE payment_id IS NULL
    ) x GROUP BY x.id
  ),
  pay_sums AS (SELECT payment_id AS id, sum(amount_minor) AS s FROM eff WHERE payment_id IS NOT NULL GROUP BY payment_id),
  inv_fresh AS (SELECT inv.id, COALESCE(inv_sums.s, 0) AS s FROM inv LEFT JOIN inv_sums ON inv_sums.id = inv.id),
  pay_fresh AS (SELECT pay.id, COALESCE(pay_sums.s, 0) AS s FROM pay LEFT JOIN pay_sums ON pay_sums.id = pay.id),
  inv_up AS (
    UPDATE invoices i SET allocated_minor = f.s FROM inv_fresh f WHERE i.id = f.id AND i.allocated_minor IS DISTINCT FROM f.s RETURNING 1
  )
  UPDATE payments p SET allocated_minor = f.s FROM pay_fresh f WHERE p.id = f.id AND p.allocated_minor IS DISTINCT FROM f.s;
END $$`;

/** The refresh of two lists; `oneList` (down): of their concatenation, as the previous version took it. */
const refresh = (inv: string, pay: string, oneList: boolean) => (oneList ? `lb_refresh_allocated(${inv} || ${pay})` : `lb_refresh_allocated(${inv}, ${pay})`);

/** The invoice ends (invoice, credit note) and the payment ends of the allocations in `tables`. */
function ends(tables: string[], oneList: boolean): string {
  const union = (column: string) => tables.map((t) => `SELECT ${column} FROM ${t}`).join(' UNION ALL ');
  return refresh(`ARRAY(${union('invoice_id')} UNION ALL ${union('credit_note_id')})`, `ARRAY(${union('payment_id')})`, oneList);
}

const allocationsFunction = (oneList: boolean) => `
CREATE OR REPLACE FUNCTION lb_allocations_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM ${ends(['lb_new'], oneList)};
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM ${ends(['lb_old'], oneList)};
  ELSE
    PERFORM ${ends(['lb_new', 'lb_old'], oneList)};
  END IF;
  RETURN NULL;
END $$`;

/**
 * Invoices or payments whose in-force state may have changed (out of force before or after
 * the statement, as before), with the other ends of their allocations, each in its list.
 */
function documentsFunction(table: 'invoices' | 'payments', oneList: boolean): string {
  const inForce = (r: string) => (table === 'invoices' ? `(${r}.deleted_at IS NULL AND ${r}.status NOT IN ('void', 'deleted'))` : `(${r}.deleted_at IS NULL)`);
  const ch = `WITH ch AS (SELECT n.id FROM lb_new n WHERE NOT ${inForce('n')} UNION SELECT o.id FROM lb_old o WHERE NOT ${inForce('o')})`;
  const call =
    table === 'invoices'
      ? refresh(
          `ARRAY(${ch} SELECT id FROM ch
               UNION ALL SELECT a.credit_note_id FROM ch JOIN allocations a ON a.invoice_id = ch.id
               UNION ALL SELECT a.invoice_id FROM ch JOIN allocations a ON a.credit_note_id = ch.id)`,
          `ARRAY(${ch} SELECT a.payment_id FROM ch JOIN allocations a ON a.invoice_id = ch.id)`,
          oneList,
        )
      : refresh(`ARRAY(${ch} SELECT a.invoice_id FROM ch JOIN allocations a ON a.payment_id = ch.id)`, `ARRAY(${ch} SELECT id FROM ch)`, oneList);
  return `
CREATE OR REPLACE FUNCTION lb_${table}_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ${call};
  RETURN NULL;
END $$`;
}

/** down(): the previous one-list refresh (each id recomputed as an invoice and as a payment). */
const ONE_LIST_FUNCTION = REFRESH_FUNCTION.replace('(inv_ids uuid[], pay_ids uuid[])', '(doc_ids uuid[])').replace(/inv_ids|pay_ids/g, 'doc_ids');

export class RefreshAllocatedByTable1796200000000 implements MigrationInterface {
  name = 'RefreshAllocatedByTable1796200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(REFRESH_FUNCTION);
    await queryRunner.query(allocationsFunction(false));
    await queryRunner.query(documentsFunction('invoices', false));
    await queryRunner.query(documentsFunction('payments', false));
    await queryRunner.query('DROP FUNCTION lb_refresh_allocated(uuid[])');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(ONE_LIST_FUNCTION);
    await queryRunner.query(allocationsFunction(true));
    await queryRunner.query(documentsFunction('invoices', true));
    await queryRunner.query(documentsFunction('payments', true));
    await queryRunner.query('DROP FUNCTION lb_refresh_allocated(uuid[], uuid[])');
  }
}
