import { MigrationInterface, QueryRunner } from 'typeorm';

export class DropAllocationsTenantIndex1796081784874 implements MigrationInterface {
  name = 'DropAllocationsTenantIndex1796081784874';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"public\".\"allocations_tenant_idx\"");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE INDEX \"allocations_tenant_idx\" ON \"allocations\" USING btree (\"tenant_id\", \"connection_id\") ");
  }
}
