import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger tables' references (to their connection, customer, invoice, payment, credit
 * note) checked once per statement instead of once per row. A foreign key checks each row
 * it inserts with its own query and row lock: on a sync page that was about 40 % of the
 * time spent inserting invoices (2 keys) and more for allocations (4 keys). The same rules
 * now hold by statement-level triggers over the statement's rows:
 *
 * - Checks (`lb_<table>_refs`, after INSERT and UPDATE): every reference must name an
 *   existing row, else the statement fails with SQLSTATE 23503 (foreign_key_violation), as a
 *   foreign key would. The connections the new rows belong to (for allocations without one,
 *   the connections of their documents) are locked FOR KEY SHARE, once each, as the foreign
 *   key did per row: a connection cannot be deleted under a transaction writing its rows.
 * - Deletes (the keys' ON DELETE): a connection takes its ledger rows with it (before its own
 *   row goes, so the cascade sees what committed writers left); a deleted invoice, credit note
 *   or payment takes its allocations; a deleted customer leaves its documents without one.
 *
 * Nothing in the service hard-deletes ledger rows except through a connection (sources'
 * deletions are tombstones); the triggers keep the keys' behaviour for anything else.
 */
type Keyed = { table: string; fk: string; column: string; ref: string; onDelete: 'CASCADE' | 'SET NULL' };

const KEYS: Keyed[] = [
  { table: 'customers', fk: 'FK_3b75068cf3d72ccf4a7bc0849b6', column: 'connection_id', ref: 'connections', onDelete: 'CASCADE' },
  { table: 'invoices', fk: 'FK_b282df9a8d1cd9fd9aec9da2d8c', column: 'connection_id', ref: 'connections', onDelete: 'CASCADE' },
  { table: 'invoices', fk: 'FK_65e3145f317bd655481d3f96c74', column: 'customer_id', ref: 'customers', onDelete: 'SET NULL' },
  { table: 'payments', fk: 'FK_90efe23f65d3015aec524b00be0', column: 'connection_id', ref: 'connections', onDelete: 'CASCADE' },
  { table: 'payments', fk: 'FK_d0b02233df1c52323107fe7b4d7', column: 'customer_id', ref: 'customers', onDelete: 'SET NULL' },
  { table: 'allocations', fk: 'FK_ef1c73c809636a7f8119536b088', column: 'connection_id', ref: 'connections', onDelete: 'CASCADE' },
  { table: 'allocations', fk: 'FK_d51aed7fa4e9b0deb71daa7dac8', column: 'invoice_id', ref: 'invoices', onDelete: 'CASCADE' },
  { table: 'allocations', fk: 'FK_467fd0cf5fb8baf11fe5b8dabae', column: 'payment_id', ref: 'payments', onDelete: 'CASCADE' },
  { table: 'allocations', fk: 'FK_ea13207ab112d833aa02bf147a9', column: 'credit_note_id', ref: 'invoices', onDelete: 'CASCADE' },
];

const TABLES = ['customers', 'invoices', 'payments', 'allocations'];

/** Fails the statement when a new row of `table` names a missing row (one anti-join per reference). */
function missingCheck(k: Keyed): string {
  return `
  SELECT n.id, n.${k.column} INTO bad FROM lb_new n
   WHERE n.${k.column} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${k.ref} r WHERE r.id = n.${k.column}) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'insert or update on table "${k.table}" violates its reference to ${k.ref}'
      USING ERRCODE = 'foreign_key_violation', TABLE = '${k.table}', COLUMN = '${k.column}',
            DETAIL = format('Key (${k.column})=(%s) is not present in table "${k.ref}" (row %s).', bad.${k.column}, bad.id);
  END IF;`;
}

function checkFunction(table: string): string {
  const keys = KEYS.filter((k) => k.table === table);
  // Allocations made by the service (rules, operators) have no connection: lock their documents' connections.
  const documentsConnections =
    table === 'allocations'
      ? `
     UNION SELECT i.connection_id FROM lb_new n JOIN invoices i ON i.id = n.invoice_id WHERE n.connection_id IS NULL
     UNION SELECT i.connection_id FROM lb_new n JOIN invoices i ON i.id = n.credit_note_id WHERE n.connection_id IS NULL
     UNION SELECT p.connection_id FROM lb_new n JOIN payments p ON p.id = n.payment_id WHERE n.connection_id IS NULL`
      : '';
  return `
CREATE FUNCTION lb_${table}_refs() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE bad record;
BEGIN
  PERFORM 1 FROM connections c
   WHERE c.id IN (SELECT n.connection_id FROM lb_new n WHERE n.connection_id IS NOT NULL${documentsConnections})
     FOR KEY SHARE OF c;${keys.map(missingCheck).join('')}
  RETURN NULL;
END $$`;
}

const CONNECTION_DELETED = `
CREATE FUNCTION lb_connection_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM allocations WHERE tenant_id = OLD.tenant_id AND connection_id = OLD.id;
  DELETE FROM payments WHERE tenant_id = OLD.tenant_id AND connection_id = OLD.id;
  DELETE FROM invoices WHERE tenant_id = OLD.tenant_id AND connection_id = OLD.id;
  DELETE FROM customers WHERE tenant_id = OLD.tenant_id AND connection_id = OLD.id;
  RETURN OLD;
END $$`;

const DOCUMENTS_DELETED = `
CREATE FUNCTION lb_documents_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'invoices' THEN
    DELETE FROM allocations a USING lb_old o WHERE a.invoice_id = o.id;
    DELETE FROM allocations a USING lb_old o WHERE a.credit_note_id = o.id;
  ELSE
    DELETE FROM allocations a USING lb_old o WHERE a.payment_id = o.id;
  END IF;
  RETURN NULL;
END $$`;

const CUSTOMERS_DELETED = `
CREATE FUNCTION lb_customers_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE invoices i SET customer_id = NULL FROM lb_old o WHERE i.tenant_id = o.tenant_id AND i.customer_id = o.id;
  UPDATE payments p SET customer_id = NULL FROM lb_old o WHERE p.tenant_id = o.tenant_id AND p.customer_id = o.id;
  RETURN NULL;
END $$`;

export class LedgerReferencesBySet1796400000000 implements MigrationInterface {
  name = 'LedgerReferencesBySet1796400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const k of KEYS) await queryRunner.query(`ALTER TABLE "${k.table}" DROP CONSTRAINT "${k.fk}"`);
    for (const t of TABLES) {
      await queryRunner.query(checkFunction(t));
      for (const op of ['INSERT', 'UPDATE'])
        await queryRunner.query(
          `CREATE TRIGGER lb_${t}_refs_${op === 'INSERT' ? 'ins' : 'upd'} AFTER ${op} ON ${t} REFERENCING NEW TABLE AS lb_new FOR EACH STATEMENT EXECUTE FUNCTION lb_${t}_refs()`,
        );
    }
    await queryRunner.query(CONNECTION_DELETED);
    await queryRunner.query(`CREATE TRIGGER lb_connections_del BEFORE DELETE ON connections FOR EACH ROW EXECUTE FUNCTION lb_connection_deleted()`);
    await queryRunner.query(DOCUMENTS_DELETED);
    for (const t of ['invoices', 'payments'])
      await queryRunner.query(`CREATE TRIGGER lb_${t}_del_refs AFTER DELETE ON ${t} REFERENCING OLD TABLE AS lb_old FOR EACH STATEMENT EXECUTE FUNCTION lb_documents_deleted()`);
    await queryRunner.query(CUSTOMERS_DELETED);
    await queryRunner.query(`CREATE TRIGGER lb_customers_del_refs AFTER DELETE ON customers REFERENCING OLD TABLE AS lb_old FOR EACH STATEMENT EXECUTE FUNCTION lb_customers_deleted()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER lb_customers_del_refs ON customers`);
    await queryRunner.query(`DROP FUNCTION lb_customers_deleted()`);
    for (const t of ['invoices', 'payments']) await queryRunner.query(`DROP TRIGGER lb_${t}_del_refs ON ${t}`);
    await queryRunner.query(`DROP FUNCTION lb_documents_deleted()`);
    await queryRunner.query(`DROP TRIGGER lb_connections_del ON connections`);
    await queryRunner.query(`DROP FUNCTION lb_connection_deleted()`);
    for (const t of TABLES) {
      for (const op of ['ins', 'upd']) await queryRunner.query(`DROP TRIGGER lb_${t}_refs_${op} ON ${t}`);
      await queryRunner.query(`DROP FUNCTION lb_${t}_refs()`);
    }
    for (const k of KEYS)
      await queryRunner.query(
        `ALTER TABLE "${k.table}" ADD CONSTRAINT "${k.fk}" FOREIGN KEY ("${k.column}") REFERENCES "${k.ref}"("id") ON DELETE ${k.onDelete} ON UPDATE NO ACTION`,
      );
  }
}
