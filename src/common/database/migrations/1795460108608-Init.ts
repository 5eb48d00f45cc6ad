import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1795460108608 implements MigrationInterface {
  name = 'Init1795460108608';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"tenants\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"name\" text NOT NULL, \"timezone\" text NOT NULL DEFAULT 'Europe/Paris', \"settings\" jsonb NOT NULL DEFAULT '{}', \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_53be67a04681c66b87ee27c9321\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE TABLE \"api_keys\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"tenant_id\" uuid NOT NULL, \"name\" text NOT NULL, \"role\" text NOT NULL, \"prefix\" text NOT NULL, \"key_hash\" text NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"last_used_at\" TIMESTAMP WITH TIME ZONE, \"revoked_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"api_keys_role_check\" CHECK (\"role\" IN ('admin', 'operator', 'viewer')), CONSTRAINT \"PK_5c8a79801b44bd27b79228e1dad\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"api_keys_hash_uq\" ON \"api_keys\"  (\"key_hash\") ");
    await queryRunner.query("CREATE INDEX \"api_keys_tenant_idx\" ON \"api_keys\"  (\"tenant_id\") ");
    await queryRunner.query("CREATE TABLE \"connections\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"tenant_id\" uuid NOT NULL, \"provider\" text NOT NULL, \"name\" text NOT NULL, \"settings\" jsonb NOT NULL DEFAULT '{}', \"credentials_encrypted\" text, \"cron\" text, \"timezone\" text NOT NULL DEFAULT 'UTC', \"enabled\" boolean NOT NULL DEFAULT true, \"cursor\" jsonb, \"status\" text NOT NULL DEFAULT 'ok', \"status_reason\" text, \"paused_until\" TIMESTAMP WITH TIME ZONE, \"last_run_at\" TIMESTAMP WITH TIME ZONE, \"last_success_at\" TIMESTAMP WITH TIME ZONE, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"connections_status_check\" CHECK (\"status\" IN ('ok', 'needs_attention', 'paused')), CONSTRAINT \"PK_0a1f844af3122354cbd487a8d03\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"connections_tenant_name_uq\" ON \"connections\"  (\"tenant_id\", \"name\") ");
    await queryRunner.query("CREATE TABLE \"customers\" (\"tenant_id\" uuid NOT NULL, \"connection_id\" uuid NOT NULL, \"external_id\" text NOT NULL, \"content_hash\" text NOT NULL, \"deleted_at\" TIMESTAMP WITH TIME ZONE, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"name\" text NOT NULL, \"emails\" text array NOT NULL DEFAULT '{}', \"phones\" text array NOT NULL DEFAULT '{}', \"currency\" character(3), \"terms_days\" integer, \"terms_end_of_month\" boolean NOT NULL DEFAULT false, \"credit_limit_minor\" bigint, \"company\" text, \"language\" text, \"tax_id\" text, CONSTRAINT \"PK_133ec679a801fab5e070f73d3ea\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"customers_tenant_name_idx\" ON \"customers\"  (\"tenant_id\", \"name\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"customers_source_uq\" ON \"customers\"  (\"tenant_id\", \"connection_id\", \"external_id\") ");
    await queryRunner.query("CREATE TABLE \"invoices\" (\"tenant_id\" uuid NOT NULL, \"connection_id\" uuid NOT NULL, \"external_id\" text NOT NULL, \"content_hash\" text NOT NULL, \"deleted_at\" TIMESTAMP WITH TIME ZONE, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"customer_id\" uuid, \"customer_external_id\" text NOT NULL, \"kind\" text NOT NULL, \"number\" text NOT NULL, \"issue_date\" date NOT NULL, \"due_date\" date, \"currency\" character(3) NOT NULL, \"total_minor\" bigint NOT NULL, \"status\" text NOT NULL DEFAULT 'open', \"currency_rate\" numeric, \"reference\" text, CONSTRAINT \"invoices_status_check\" CHECK (\"status\" IN ('open', 'paid', 'void', 'deleted')), CONSTRAINT \"invoices_kind_check\" CHECK (\"kind\" IN ('invoice', 'credit_note')), CONSTRAINT \"PK_668cef7c22a427fd822cc1be3ce\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"invoices_updated_idx\" ON \"invoices\"  (\"tenant_id\", \"updated_at\") ");
    await queryRunner.query("CREATE INDEX \"invoices_customer_ref_idx\" ON \"invoices\"  (\"tenant_id\", \"connection_id\", \"customer_external_id\") ");
    await queryRunner.query("CREATE INDEX \"invoices_due_idx\" ON \"invoices\"  (\"tenant_id\", \"due_date\") ");
    await queryRunner.query("CREATE INDEX \"invoices_customer_idx\" ON \"invoices\"  (\"tenant_id\", \"customer_id\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"invoices_source_uq\" ON \"invoices\"  (\"tenant_id\", \"connection_id\", \"external_id\") ");
    await queryRunner.query("CREATE TABLE \"payments\" (\"tenant_id\" uuid NOT NULL, \"connection_id\" uuid NOT NULL, \"external_id\" text NOT NULL, \"content_hash\" text NOT NULL, \"deleted_at\" TIMESTAMP WITH TIME ZONE, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"customer_id\" uuid, \"customer_external_id\" text NOT NULL, \"kind\" text NOT NULL DEFAULT 'payment', \"date\" date NOT NULL, \"currency\" character(3) NOT NULL, \"amount_minor\" bigint NOT NULL, \"method\" text, \"reference\" text, CONSTRAINT \"PK_197ab7af18c93fbb0c9b28b4a59\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"payments_date_idx\" ON \"payments\"  (\"tenant_id\", \"date\") ");
    await queryRunner.query("CREATE INDEX \"payments_customer_ref_idx\" ON \"payments\"  (\"tenant_id\", \"connection_id\", \"customer_external_id\") ");
    await queryRunner.query("CREATE INDEX \"payments_customer_idx\" ON \"payments\"  (\"tenant_id\", \"customer_id\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"payments_source_uq\" ON \"payments\"  (\"tenant_id\", \"connection_id\", \"external_id\") ");
    await queryRunner.query("CREATE TABLE \"allocations\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"tenant_id\" uuid NOT NULL, \"connection_id\" uuid, \"external_id\" text, \"invoice_id\" uuid, \"invoice_external_id\" text, \"payment_id\" uuid, \"payment_external_id\" text, \"credit_note_id\" uuid, \"credit_note_external_id\" text, \"amount_minor\" bigint NOT NULL, \"currency\" character(3) NOT NULL, \"date\" date NOT NULL, \"method\" text NOT NULL DEFAULT 'source', \"confidence\" smallint NOT NULL DEFAULT '100', \"created_by\" text, \"content_hash\" text, \"deleted_at\" TIMESTAMP WITH TIME ZONE, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"allocations_confidence_check\" CHECK (\"confidence\" BETWEEN 0 AND 100), CONSTRAINT \"allocations_method_check\" CHECK (\"method\" IN ('source', 'reference', 'exact_amount', 'amount_set', 'oldest_first', 'manual')), CONSTRAINT \"PK_ca63099fc248466264af0fa6f1f\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"allocations_tenant_idx\" ON \"allocations\"  (\"tenant_id\", \"connection_id\") ");
    await queryRunner.query("CREATE INDEX \"allocations_credit_note_idx\" ON \"allocations\"  (\"credit_note_id\") ");
    await queryRunner.query("CREATE INDEX \"allocations_payment_idx\" ON \"allocations\"  (\"payment_id\") ");
    await queryRunner.query("CREATE INDEX \"allocations_invoice_idx\" ON \"allocations\"  (\"invoice_id\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"allocations_source_uq\" ON \"allocations\"  (\"tenant_id\", \"connection_id\", \"external_id\") ");
    await queryRunner.query("CREATE TABLE \"sync_runs\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"tenant_id\" uuid NOT NULL, \"connection_id\" uuid NOT NULL, \"trigger\" text NOT NULL, \"status\" text NOT NULL DEFAULT 'queued', \"started_at\" TIMESTAMP WITH TIME ZONE, \"finished_at\" TIMESTAMP WITH TIME ZONE, \"counts\" jsonb NOT NULL DEFAULT '{}', \"details\" jsonb NOT NULL DEFAULT '{}', \"error\" jsonb, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"sync_runs_status_check\" CHECK (\"status\" IN ('queued', 'running', 'succeeded', 'failed')), CONSTRAINT \"PK_adf13fff41a683b3b991fb90b11\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"sync_runs_connection_idx\" ON \"sync_runs\"  (\"tenant_id\", \"connection_id\", \"created_at\") ");
    await queryRunner.query("ALTER TABLE \"api_keys\" ADD CONSTRAINT \"FK_3ac18429c8d27858d79432e0dda\" FOREIGN KEY (\"tenant_id\") REFERENCES \"tenants\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"connections\" ADD CONSTRAINT \"FK_2e37e3b97bf0ae3c7575a39fd4a\" FOREIGN KEY (\"tenant_id\") REFERENCES \"tenants\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"customers\" ADD CONSTRAINT \"FK_3b75068cf3d72ccf4a7bc0849b6\" FOREIGN KEY (\"connection_id\") REFERENCES \"connections\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"invoices\" ADD CONSTRAINT \"FK_b282df9a8d1cd9fd9aec9da2d8c\" FOREIGN KEY (\"connection_id\") REFERENCES \"connections\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"invoices\" ADD CONSTRAINT \"FK_65e3145f317bd655481d3f96c74\" FOREIGN KEY (\"customer_id\") REFERENCES \"customers\"(\"id\") ON DELETE SET NULL ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"payments\" ADD CONSTRAINT \"FK_90efe23f65d3015aec524b00be0\" FOREIGN KEY (\"connection_id\") REFERENCES \"connections\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"payments\" ADD CONSTRAINT \"FK_d0b02233df1c52323107fe7b4d7\" FOREIGN KEY (\"customer_id\") REFERENCES \"customers\"(\"id\") ON DELETE SET NULL ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"allocations\" ADD CONSTRAINT \"FK_ef1c73c809636a7f8119536b088\" FOREIGN KEY (\"connection_id\") REFERENCES \"connections\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"allocations\" ADD CONSTRAINT \"FK_d51aed7fa4e9b0deb71daa7dac8\" FOREIGN KEY (\"invoice_id\") REFERENCES \"invoices\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"allocations\" ADD CONSTRAINT \"FK_467fd0cf5fb8baf11fe5b8dabae\" FOREIGN KEY (\"payment_id\") REFERENCES \"payments\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"allocations\" ADD CONSTRAINT \"FK_ea13207ab112d833aa02bf147a9\" FOREIGN KEY (\"credit_note_id\") REFERENCES \"invoices\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"sync_runs\" ADD CONSTRAINT \"FK_87c45b71e7b5f3dd7d75354e202\" FOREIGN KEY (\"connection_id\") REFERENCES \"connections\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"sync_runs\" DROP CONSTRAINT \"FK_87c45b71e7b5f3dd7d75354e202\"");
    await queryRunner.query("ALTER TABLE \"allocations\" DROP CONSTRAINT \"FK_ea13207ab112d833aa02bf147a9\"");
    await queryRunner.query("ALTER TABLE \"allocations\" DROP CONSTRAINT \"FK_467fd0cf5fb8baf11fe5b8dabae\"");
    await queryRunner.query("ALTER TABLE \"allocations\" DROP CONSTRAINT \"FK_d51aed7fa4e9b0deb71daa7dac8\"");
    await queryRunner.query("ALTER TABLE \"allocations\" DROP CONSTRAINT \"FK_ef1c73c809636a7f8119536b088\"");
    await queryRunner.query("ALTER TABLE \"payments\" DROP CONSTRAINT \"FK_d0b02233df1c52323107fe7b4d7\"");
    await queryRunner.query("ALTER TABLE \"payments\" DROP CONSTRAINT \"FK_90efe23f65d3015aec524b00be0\"");
    await queryRunner.query("ALTER TABLE \"invoices\" DROP CONSTRAINT \"FK_65e3145f317bd655481d3f96c74\"");
    await queryRunner.query("ALTER TABLE \"invoices\" DROP CONSTRAINT \"FK_b282df9a8d1cd9fd9aec9da2d8c\"");
    await queryRunner.query("ALTER TABLE \"customers\" DROP CONSTRAINT \"FK_3b75068cf3d72ccf4a7bc0849b6\"");
    await queryRunner.query("ALTER TABLE \"connections\" DROP CONSTRAINT \"FK_2e37e3b97bf0ae3c7575a39fd4a\"");
    await queryRunner.query("ALTER TABLE \"api_keys\" DROP CONSTRAINT \"FK_3ac18429c8d27858d79432e0dda\"");
    await queryRunner.query("DROP INDEX \"public\".\"sync_runs_connection_idx\"");
    await queryRunner.query("DROP TABLE \"sync_runs\"");
    await queryRunner.query("DROP INDEX \"public\".\"allocations_source_uq\"");
    await queryRunner.query("DROP INDEX \"public\".\"allocations_invoice_idx\"");
    await queryRunner.query("DROP INDEX \"public\".\"allocations_payment_idx\"");
    await queryRunner.query("DROP INDEX \"public\".\"allocations_credit_note_idx\"");
    await queryRunner.query("DROP INDEX \"public\".\"allocations_tenant_idx\"");
    await queryRunner.query("DROP TABLE \"allocations\"");
    await queryRunner.query("DROP INDEX \"public\".\"payments_source_uq\"");
    await queryRunner.query("DROP INDEX \"public\".\"payments_customer_idx\"");
    await queryRunner.query("DROP INDEX \"public\".\"payments_customer_ref_idx\"");
    await queryRunner.query("DROP INDEX \"public\".\"payments_date_idx\"");
    await queryRunner.query("DROP TABLE \"payments\"");
    await queryRunner.query("DROP INDEX \"public\".\"invoices_source_uq\"");
    await queryRunner.query("DROP INDEX \"public\".\"invoices_customer_idx\"");
    await queryRunner.query("DROP INDEX \"public\".\"invoices_due_idx\"");
    await queryRunner.query("DROP INDEX \"public\".\"invoices_customer_ref_idx\"");
    await queryRunner.query("DROP INDEX \"public\".\"invoices_updated_idx\"");
    await queryRunner.query("DROP TABLE \"invoices\"");
    await queryRunner.query("DROP INDEX \"public\".\"customers_source_uq\"");
    await queryRunner.query("DROP INDEX \"public\".\"customers_tenant_name_idx\"");
    await queryRunner.query("DROP TABLE \"customers\"");
    await queryRunner.query("DROP INDEX \"public\".\"connections_tenant_name_uq\"");
    await queryRunner.query("DROP TABLE \"connections\"");
    await queryRunner.query("DROP INDEX \"public\".\"api_keys_tenant_idx\"");
    await queryRunner.query("DROP INDEX \"public\".\"api_keys_hash_uq\"");
    await queryRunner.query("DROP TABLE \"api_keys\"");
    await queryRunner.query("DROP TABLE \"tenants\"");
  }
}
