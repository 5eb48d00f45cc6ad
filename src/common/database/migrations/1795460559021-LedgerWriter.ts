import { MigrationInterface, QueryRunner } from 'typeorm';

export class LedgerWriter1795460559021 implements MigrationInterface {
  name = 'LedgerWriter1795460559021';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"invoices\" ADD \"due_date_derived\" boolean NOT NULL DEFAULT false");
    await queryRunner.query("CREATE INDEX \"allocations_pending_payment_idx\" ON \"allocations\"  (\"tenant_id\", \"connection_id\", \"payment_external_id\") WHERE payment_id IS NULL AND payment_external_id IS NOT NULL");
    await queryRunner.query("CREATE INDEX \"allocations_pending_credit_note_idx\" ON \"allocations\"  (\"tenant_id\", \"connection_id\", \"credit_note_external_id\") WHERE credit_note_id IS NULL AND credit_note_external_id IS NOT NULL");
    await queryRunner.query("CREATE INDEX \"allocations_pending_invoice_idx\" ON \"allocations\"  (\"tenant_id\", \"connection_id\", \"invoice_external_id\") WHERE invoice_id IS NULL AND invoice_external_id IS NOT NULL");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"public\".\"allocations_pending_invoice_idx\"");
    await queryRunner.query("DROP INDEX \"public\".\"allocations_pending_credit_note_idx\"");
    await queryRunner.query("DROP INDEX \"public\".\"allocations_pending_payment_idx\"");
    await queryRunner.query("ALTER TABLE \"invoices\" DROP COLUMN \"due_date_derived\"");
  }
}
