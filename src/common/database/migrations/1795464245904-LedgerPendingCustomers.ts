import { MigrationInterface, QueryRunner } from 'typeorm';

export class LedgerPendingCustomers1795464245904 implements MigrationInterface {
  name = 'LedgerPendingCustomers1795464245904';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE INDEX \"invoices_pending_customer_idx\" ON \"invoices\"  (\"tenant_id\", \"connection_id\", \"customer_external_id\") WHERE customer_id IS NULL");
    await queryRunner.query("CREATE INDEX \"payments_pending_customer_idx\" ON \"payments\"  (\"tenant_id\", \"connection_id\", \"customer_external_id\") WHERE customer_id IS NULL");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"public\".\"payments_pending_customer_idx\"");
    await queryRunner.query("DROP INDEX \"public\".\"invoices_pending_customer_idx\"");
  }
}
