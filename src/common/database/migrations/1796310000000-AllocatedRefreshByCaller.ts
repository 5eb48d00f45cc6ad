import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The allocations trigger of the allocated amounts (1796078673339-MaintainedAllocated,
 * 1796200000000-RefreshAllocatedByTable) can be told, for the statements of one transaction,
 * that the caller refreshes the documents itself: `ledgerbridge.allocated_by_caller` set to
 * `on` (transaction-local). The bulk snapshot writer (src/ledger/ledger-bulk-writer.ts) does
 * so around its one allocations statement, which inserts new documents' allocations whose
 * amounts the documents already carry, then calls `lb_refresh_allocated` once for every other
 * end of what it wrote: the rule and the function stay the ones the trigger uses. Nothing else
 * sets it; without it the trigger behaves as before.
 */
const ends = (tables: string[]) => {
  const union = (column: string) => tables.map((t) => `SELECT ${column} FROM ${t}`).join(' UNION ALL ');
  return `lb_refresh_allocated(ARRAY(${union('invoice_id')} UNION ALL ${union('credit_note_id')}), ARRAY(${union('payment_id')}))`;
};

const allocationsFunction = (guard: boolean) => `
CREATE OR REPLACE FUNCTION lb_allocations_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN${
  guard
    ? `
  IF current_setting('ledgerbridge.allocated_by_caller', true) = 'on' THEN RETURN NULL; END IF;`
    : ''
}
  IF TG_OP = 'INSERT' THEN
    PERFORM ${ends(['lb_new'])};
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM ${ends(['lb_old'])};
  ELSE
    PERFORM ${ends(['lb_new', 'lb_old'])};
  END IF;
  RETURN NULL;
END $$`;

export class AllocatedRefreshByCaller1796310000000 implements MigrationInterface {
  name = 'AllocatedRefreshByCaller1796310000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(allocationsFunction(true));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(allocationsFunction(false));
  }
}
