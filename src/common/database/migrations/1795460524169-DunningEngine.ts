import { MigrationInterface, QueryRunner } from 'typeorm';

export class DunningEngine1795460524169 implements MigrationInterface {
  name = 'DunningEngine1795460524169';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"dunning_policies\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"tenant_id\" uuid NOT NULL, \"name\" text NOT NULL, \"is_default\" boolean NOT NULL DEFAULT false, \"definition\" jsonb NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_d0bd2823e0f31b762b77f5409fa\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"dunning_policies_default_uq\" ON \"dunning_policies\"  (\"tenant_id\") WHERE \"is_default\"");
    await queryRunner.query("CREATE UNIQUE INDEX \"dunning_policies_name_uq\" ON \"dunning_policies\"  (\"tenant_id\", \"name\") ");
    await queryRunner.query("CREATE TABLE \"dunning_policy_assignments\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"tenant_id\" uuid NOT NULL, \"scope\" text NOT NULL, \"target\" text NOT NULL, \"policy_id\" uuid NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"dunning_policy_assignments_scope_check\" CHECK (\"scope\" IN ('invoice', 'customer', 'segment')), CONSTRAINT \"PK_23c2b4c2ab08f269024475822b2\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"dunning_policy_assignments_uq\" ON \"dunning_policy_assignments\"  (\"tenant_id\", \"scope\", \"target\") ");
    await queryRunner.query("CREATE TABLE \"dunning_customer_settings\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"tenant_id\" uuid NOT NULL, \"customer_id\" uuid NOT NULL, \"excluded\" boolean NOT NULL DEFAULT false, \"exclusion_reason\" text, \"collector\" text, \"updated_by\" text, \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_13e449e4f33830eab7f8a80958e\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"dunning_customer_settings_collector_idx\" ON \"dunning_customer_settings\"  (\"tenant_id\", \"collector\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"dunning_customer_settings_uq\" ON \"dunning_customer_settings\"  (\"tenant_id\", \"customer_id\") ");
    await queryRunner.query("CREATE TABLE \"dunning_pauses\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"tenant_id\" uuid NOT NULL, \"customer_id\" uuid, \"invoice_id\" uuid, \"reason\" text NOT NULL, \"until\" date NOT NULL, \"created_by\" text NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"lifted_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"dunning_pauses_target_check\" CHECK (\"customer_id\" IS NOT NULL OR \"invoice_id\" IS NOT NULL), CONSTRAINT \"PK_824013996c5da2be38a2ac00123\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"dunning_pauses_lookup_idx\" ON \"dunning_pauses\"  (\"tenant_id\", \"until\") ");
    await queryRunner.query("CREATE TABLE \"dunning_runs\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"tenant_id\" uuid NOT NULL, \"as_of\" date NOT NULL, \"trigger\" text NOT NULL, \"status\" text NOT NULL DEFAULT 'running', \"started_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"finished_at\" TIMESTAMP WITH TIME ZONE, \"summary\" jsonb NOT NULL DEFAULT '{}', \"error\" text, \"created_by\" text NOT NULL, CONSTRAINT \"dunning_runs_status_check\" CHECK (\"status\" IN ('running', 'succeeded', 'failed')), CONSTRAINT \"PK_fc9a3ab7dfd15bc3a58f189b40a\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"dunning_runs_tenant_idx\" ON \"dunning_runs\"  (\"tenant_id\", \"started_at\") ");
    await queryRunner.query("CREATE TABLE \"dunning_messages\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"tenant_id\" uuid NOT NULL, \"run_id\" uuid NOT NULL, \"customer_id\" uuid NOT NULL, \"channel\" text NOT NULL, \"group_key\" text NOT NULL, \"step_index\" integer NOT NULL, \"step_key\" text NOT NULL, \"status\" text NOT NULL DEFAULT 'queued', \"recipient\" text, \"subject\" text, \"body\" text, \"document_path\" text, \"attempts\" integer NOT NULL DEFAULT '0', \"next_attempt_at\" TIMESTAMP WITH TIME ZONE, \"last_error\" text, \"sent_at\" TIMESTAMP WITH TIME ZONE, \"provider_message_id\" text, \"decided_by\" text, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"dunning_messages_status_check\" CHECK (\"status\" IN ('pending_approval', 'queued', 'sending', 'sent', 'failed', 'rejected')), CONSTRAINT \"dunning_messages_channel_check\" CHECK (\"channel\" IN ('email', 'letter', 'call')), CONSTRAINT \"PK_5b2b5a74d971b5af788e2dd4caf\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"dunning_messages_run_idx\" ON \"dunning_messages\"  (\"run_id\") ");
    await queryRunner.query("CREATE INDEX \"dunning_messages_customer_idx\" ON \"dunning_messages\"  (\"tenant_id\", \"customer_id\") ");
    await queryRunner.query("CREATE INDEX \"dunning_messages_status_idx\" ON \"dunning_messages\"  (\"tenant_id\", \"status\", \"next_attempt_at\") ");
    await queryRunner.query("CREATE TABLE \"dunning_reminders\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"tenant_id\" uuid NOT NULL, \"run_id\" uuid NOT NULL, \"message_id\" uuid, \"invoice_id\" uuid NOT NULL, \"customer_id\" uuid NOT NULL, \"policy_id\" uuid NOT NULL, \"variant\" text, \"step_index\" integer NOT NULL, \"step_key\" text NOT NULL, \"channel\" text NOT NULL, \"trigger_date\" date NOT NULL, \"as_of\" date NOT NULL, \"outstanding_minor\" bigint NOT NULL, \"currency\" character(3) NOT NULL, \"group_key\" text NOT NULL, \"requires_approval\" boolean NOT NULL DEFAULT false, \"with_penalties\" boolean NOT NULL DEFAULT false, \"interest_minor\" bigint, \"indemnity_minor\" bigint, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_588379064c09ae2575b34b1027d\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"dunning_reminders_run_idx\" ON \"dunning_reminders\"  (\"run_id\") ");
    await queryRunner.query("CREATE INDEX \"dunning_reminders_message_idx\" ON \"dunning_reminders\"  (\"message_id\") ");
    await queryRunner.query("CREATE INDEX \"dunning_reminders_tenant_invoice_idx\" ON \"dunning_reminders\"  (\"tenant_id\", \"invoice_id\", \"step_index\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"dunning_reminders_once_uq\" ON \"dunning_reminders\"  (\"invoice_id\", \"step_index\", \"channel\") ");
    await queryRunner.query("CREATE TABLE \"dunning_tasks\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"tenant_id\" uuid NOT NULL, \"customer_id\" uuid NOT NULL, \"message_id\" uuid, \"kind\" text NOT NULL DEFAULT 'call', \"status\" text NOT NULL DEFAULT 'open', \"title\" text NOT NULL, \"assigned_to\" text, \"due_date\" date NOT NULL, \"outcome\" text, \"note\" text, \"completed_at\" TIMESTAMP WITH TIME ZONE, \"completed_by\" text, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"dunning_tasks_outcome_check\" CHECK (\"outcome\" IS NULL OR \"outcome\" IN ('reached', 'no_answer', 'wrong_contact', 'promise', 'dispute')), CONSTRAINT \"dunning_tasks_status_check\" CHECK (\"status\" IN ('open', 'done', 'cancelled')), CONSTRAINT \"PK_3de79186c0a0e64458d0835b833\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"dunning_tasks_message_uq\" ON \"dunning_tasks\"  (\"message_id\") ");
    await queryRunner.query("CREATE INDEX \"dunning_tasks_worklist_idx\" ON \"dunning_tasks\"  (\"tenant_id\", \"status\", \"due_date\") ");
    await queryRunner.query("CREATE TABLE \"dunning_events\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"tenant_id\" uuid NOT NULL, \"customer_id\" uuid, \"invoice_id\" uuid, \"type\" text NOT NULL, \"actor\" text NOT NULL, \"message\" text NOT NULL, \"data\" jsonb NOT NULL DEFAULT '{}', \"at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"writeback_status\" text NOT NULL DEFAULT 'none', \"writeback_error\" text, CONSTRAINT \"PK_3900bfbc2523fb0190bb5d500e8\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"dunning_events_writeback_idx\" ON \"dunning_events\"  (\"tenant_id\", \"writeback_status\") ");
    await queryRunner.query("CREATE INDEX \"dunning_events_invoice_idx\" ON \"dunning_events\"  (\"tenant_id\", \"invoice_id\") ");
    await queryRunner.query("CREATE INDEX \"dunning_events_customer_idx\" ON \"dunning_events\"  (\"tenant_id\", \"customer_id\", \"at\") ");
    await queryRunner.query("CREATE TABLE \"dunning_webhooks\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"tenant_id\" uuid NOT NULL, \"url\" text NOT NULL, \"secret_encrypted\" text NOT NULL, \"events\" text array NOT NULL DEFAULT '{}', \"enabled\" boolean NOT NULL DEFAULT true, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_b73ee6f5a49a4cec0257e7cd757\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"dunning_webhooks_tenant_idx\" ON \"dunning_webhooks\"  (\"tenant_id\") ");
    await queryRunner.query("CREATE TABLE \"dunning_webhook_deliveries\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"tenant_id\" uuid NOT NULL, \"webhook_id\" uuid NOT NULL, \"event_id\" uuid NOT NULL, \"status\" text NOT NULL DEFAULT 'pending', \"attempts\" integer NOT NULL DEFAULT '0', \"next_attempt_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"last_status\" integer, \"last_error\" text, \"delivered_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"dunning_webhook_deliveries_status_check\" CHECK (\"status\" IN ('pending', 'delivered', 'failed')), CONSTRAINT \"PK_9b7701c6ccb9cb62fc55f89358c\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"dunning_webhook_deliveries_due_idx\" ON \"dunning_webhook_deliveries\"  (\"status\", \"next_attempt_at\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"dunning_webhook_deliveries_uq\" ON \"dunning_webhook_deliveries\"  (\"webhook_id\", \"event_id\") ");
    await queryRunner.query("ALTER TABLE \"dunning_policies\" ADD CONSTRAINT \"FK_7963584a46766b0ae3968ef1888\" FOREIGN KEY (\"tenant_id\") REFERENCES \"tenants\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"dunning_policy_assignments\" ADD CONSTRAINT \"FK_26fe6c064e2c7c0e47e1f4ad9b0\" FOREIGN KEY (\"policy_id\") REFERENCES \"dunning_policies\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"dunning_customer_settings\" ADD CONSTRAINT \"FK_72a10d9ccd32e073cde870376fd\" FOREIGN KEY (\"customer_id\") REFERENCES \"customers\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"dunning_reminders\" ADD CONSTRAINT \"FK_bdd553237c25dc96b66ca91289d\" FOREIGN KEY (\"invoice_id\") REFERENCES \"invoices\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"dunning_reminders\" DROP CONSTRAINT \"FK_bdd553237c25dc96b66ca91289d\"");
    await queryRunner.query("ALTER TABLE \"dunning_customer_settings\" DROP CONSTRAINT \"FK_72a10d9ccd32e073cde870376fd\"");
    await queryRunner.query("ALTER TABLE \"dunning_policy_assignments\" DROP CONSTRAINT \"FK_26fe6c064e2c7c0e47e1f4ad9b0\"");
    await queryRunner.query("ALTER TABLE \"dunning_policies\" DROP CONSTRAINT \"FK_7963584a46766b0ae3968ef1888\"");
    await queryRunner.query("DROP INDEX \"public\".\"dunning_webhook_deliveries_uq\"");
    await queryRunner.query("DROP INDEX \"public\".\"dunning_webhook_deliveries_due_idx\"");
    await queryRunner.query("DROP TABLE \"dunning_webhook_deliveries\"");
    await queryRunner.query("DROP INDEX \"public\".\"dunning_webhooks_tenant_idx\"");
    await queryRunner.query("DROP TABLE \"dunning_webhooks\"");
    await queryRunner.query("DROP INDEX \"public\".\"dunning_events_customer_idx\"");
    await queryRunner.query("DROP INDEX \"public\".\"dunning_events_invoice_idx\"");
    await queryRunner.query("DROP INDEX \"public\".\"dunning_events_writeback_idx\"");
    await queryRunner.query("DROP TABLE \"dunning_events\"");
    await queryRunner.query("DROP INDEX \"public\".\"dunning_tasks_worklist_idx\"");
    await queryRunner.query("DROP INDEX \"public\".\"dunning_tasks_message_uq\"");
    await queryRunner.query("DROP TABLE \"dunning_tasks\"");
    await queryRunner.query("DROP INDEX \"public\".\"dunning_reminders_once_uq\"");
    await queryRunner.query("DROP INDEX \"public\".\"dunning_reminders_tenant_invoice_idx\"");
    await queryRunner.query("DROP INDEX \"public\".\"dunning_reminders_message_idx\"");
    await queryRunner.query("DROP INDEX \"public\".\"dunning_reminders_run_idx\"");
    await queryRunner.query("DROP TABLE \"dunning_reminders\"");
    await queryRunner.query("DROP INDEX \"public\".\"dunning_messages_status_idx\"");
    await queryRunner.query("DROP INDEX \"public\".\"dunning_messages_customer_idx\"");
    await queryRunner.query("DROP INDEX \"public\".\"dunning_messages_run_idx\"");
    await queryRunner.query("DROP TABLE \"dunning_messages\"");
    await queryRunner.query("DROP INDEX \"public\".\"dunning_runs_tenant_idx\"");
    await queryRunner.query("DROP TABLE \"dunning_runs\"");
    await queryRunner.query("DROP INDEX \"public\".\"dunning_pauses_lookup_idx\"");
    await queryRunner.query("DROP TABLE \"dunning_pauses\"");
    await queryRunner.query("DROP INDEX \"public\".\"dunning_customer_settings_uq\"");
    await queryRunner.query("DROP INDEX \"public\".\"dunning_customer_settings_collector_idx\"");
    await queryRunner.query("DROP TABLE \"dunning_customer_settings\"");
    await queryRunner.query("DROP INDEX \"public\".\"dunning_policy_assignments_uq\"");
    await queryRunner.query("DROP TABLE \"dunning_policy_assignments\"");
    await queryRunner.query("DROP INDEX \"public\".\"dunning_policies_name_uq\"");
    await queryRunner.query("DROP INDEX \"public\".\"dunning_policies_default_uq\"");
    await queryRunner.query("DROP TABLE \"dunning_policies\"");
  }
}
