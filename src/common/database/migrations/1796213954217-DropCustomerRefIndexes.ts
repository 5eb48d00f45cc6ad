import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drops the full indexes on (tenant, connection, customer external id) of invoices and
 * payments: no query looks rows up by the customer's external id except the writer's link of
 * rows waiting for their customer, which walks the partial `*_pending_customer_idx` indexes
 * (1795464245904-LedgerPendingCustomers). Every row a sync inserts or updates paid for them
 * (about 5% of the CPU of an invoice insert).
 */
export class DropCustomerRefIndexes1796213954217 implements MigrationInterface {
  name = 'DropCustomerRefIndexes1796213954217';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."invoices_customer_ref_idx"');
    await queryRunner.query('DROP INDEX "public"."payments_customer_ref_idx"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX "payments_customer_ref_idx" ON "payments" ("tenant_id", "connection_id", "customer_external_id")');
    await queryRunner.query('CREATE INDEX "invoices_customer_ref_idx" ON "invoices" ("tenant_id", "connection_id", "customer_external_id")');
  }
}
