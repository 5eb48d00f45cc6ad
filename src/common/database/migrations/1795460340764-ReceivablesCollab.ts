import { MigrationInterface, QueryRunner } from 'typeorm';

export class ReceivablesCollab1795460340764 implements MigrationInterface {
  name = 'ReceivablesCollab1795460340764';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"audit_events\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"tenant_id\" uuid NOT NULL, \"actor\" text NOT NULL, \"action\" text NOT NULL, \"subject_type\" text NOT NULL, \"subject_id\" text NOT NULL, \"data\" jsonb NOT NULL DEFAULT '{}', \"at\" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT \"PK_910f64d901a5c3e9878f0d4a407\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"audit_events_at_idx\" ON \"audit_events\"  (\"tenant_id\", \"at\") ");
    await queryRunner.query("CREATE INDEX \"audit_events_subject_idx\" ON \"audit_events\"  (\"tenant_id\", \"subject_type\", \"subject_id\") ");
    await queryRunner.query("CREATE TABLE \"disputes\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"tenant_id\" uuid NOT NULL, \"invoice_id\" uuid NOT NULL, \"customer_id\" uuid, \"reason\" text NOT NULL, \"amount_minor\" bigint, \"currency\" character(3), \"status\" text NOT NULL DEFAULT 'open', \"opened_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"opened_by\" text NOT NULL, \"resolved_at\" TIMESTAMP WITH TIME ZONE, \"resolved_by\" text, \"resolution_note\" text, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"disputes_status_check\" CHECK (\"status\" IN ('open', 'resolved')), CONSTRAINT \"PK_3c97580d01c1a4b0b345c42a107\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"disputes_customer_idx\" ON \"disputes\"  (\"tenant_id\", \"customer_id\", \"status\") ");
    await queryRunner.query("CREATE INDEX \"disputes_invoice_idx\" ON \"disputes\"  (\"tenant_id\", \"invoice_id\") ");
    await queryRunner.query("CREATE TABLE \"payment_promises\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"tenant_id\" uuid NOT NULL, \"customer_id\" uuid NOT NULL, \"invoice_ids\" uuid array NOT NULL DEFAULT '{}', \"promised_date\" date NOT NULL, \"amount_minor\" bigint NOT NULL, \"currency\" character(3) NOT NULL, \"status\" text NOT NULL DEFAULT 'pending', \"grace_days\" integer NOT NULL DEFAULT '0', \"note\" text, \"created_by\" text NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"settled_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"payment_promises_grace_check\" CHECK (\"grace_days\" >= 0), CONSTRAINT \"payment_promises_status_check\" CHECK (\"status\" IN ('pending', 'kept', 'broken', 'cancelled')), CONSTRAINT \"PK_cfe10ada758f8e238c81d9223d8\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"payment_promises_due_idx\" ON \"payment_promises\"  (\"tenant_id\", \"status\", \"promised_date\") ");
    await queryRunner.query("CREATE INDEX \"payment_promises_customer_idx\" ON \"payment_promises\"  (\"tenant_id\", \"customer_id\") ");
    await queryRunner.query("CREATE TABLE \"allocation_reviews\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"tenant_id\" uuid NOT NULL, \"allocation_id\" uuid NOT NULL, \"invoice_id\" uuid NOT NULL, \"payment_id\" uuid, \"credit_note_id\" uuid, \"decision\" text NOT NULL, \"decided_by\" text NOT NULL, \"decided_at\" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT \"allocation_reviews_decision_check\" CHECK (\"decision\" IN ('confirmed', 'rejected')), CONSTRAINT \"PK_81b1538bdfc8406bdf8152914a1\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"allocation_reviews_allocation_idx\" ON \"allocation_reviews\"  (\"tenant_id\", \"allocation_id\") ");
    await queryRunner.query("CREATE INDEX \"allocation_reviews_pair_idx\" ON \"allocation_reviews\"  (\"tenant_id\", \"invoice_id\") ");
    await queryRunner.query("CREATE TABLE \"alerts\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"tenant_id\" uuid NOT NULL, \"kind\" text NOT NULL, \"key\" text NOT NULL, \"customer_id\" uuid, \"currency\" character(3), \"figures\" jsonb NOT NULL DEFAULT '{}', \"as_of\" date NOT NULL, \"raised_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"cleared_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"PK_60f895662df096bfcdfab7f4b96\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"alerts_customer_idx\" ON \"alerts\"  (\"tenant_id\", \"customer_id\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"alerts_key_uq\" ON \"alerts\"  (\"tenant_id\", \"kind\", \"key\") ");
    await queryRunner.query("ALTER TABLE \"audit_events\" ADD CONSTRAINT \"FK_d7ff59f708e396fd6c1656a66e9\" FOREIGN KEY (\"tenant_id\") REFERENCES \"tenants\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"disputes\" ADD CONSTRAINT \"FK_2af26bb5e0c731daf89d0f00228\" FOREIGN KEY (\"tenant_id\") REFERENCES \"tenants\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"disputes\" ADD CONSTRAINT \"FK_83905d1dda63bf0e9499bdc7934\" FOREIGN KEY (\"invoice_id\") REFERENCES \"invoices\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"disputes\" ADD CONSTRAINT \"FK_1d14b896ee5d703245590ecd6fb\" FOREIGN KEY (\"customer_id\") REFERENCES \"customers\"(\"id\") ON DELETE SET NULL ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"payment_promises\" ADD CONSTRAINT \"FK_d93aa684774d9993b11aabc0977\" FOREIGN KEY (\"tenant_id\") REFERENCES \"tenants\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"payment_promises\" ADD CONSTRAINT \"FK_c82b582f249f891034a0cc7a2ae\" FOREIGN KEY (\"customer_id\") REFERENCES \"customers\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"allocation_reviews\" ADD CONSTRAINT \"FK_e89895b6507caada5dd4c828382\" FOREIGN KEY (\"tenant_id\") REFERENCES \"tenants\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"alerts\" ADD CONSTRAINT \"FK_52b11d208611563cab1c336ed6b\" FOREIGN KEY (\"tenant_id\") REFERENCES \"tenants\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"alerts\" DROP CONSTRAINT \"FK_52b11d208611563cab1c336ed6b\"");
    await queryRunner.query("ALTER TABLE \"allocation_reviews\" DROP CONSTRAINT \"FK_e89895b6507caada5dd4c828382\"");
    await queryRunner.query("ALTER TABLE \"payment_promises\" DROP CONSTRAINT \"FK_c82b582f249f891034a0cc7a2ae\"");
    await queryRunner.query("ALTER TABLE \"payment_promises\" DROP CONSTRAINT \"FK_d93aa684774d9993b11aabc0977\"");
    await queryRunner.query("ALTER TABLE \"disputes\" DROP CONSTRAINT \"FK_1d14b896ee5d703245590ecd6fb\"");
    await queryRunner.query("ALTER TABLE \"disputes\" DROP CONSTRAINT \"FK_83905d1dda63bf0e9499bdc7934\"");
    await queryRunner.query("ALTER TABLE \"disputes\" DROP CONSTRAINT \"FK_2af26bb5e0c731daf89d0f00228\"");
    await queryRunner.query("ALTER TABLE \"audit_events\" DROP CONSTRAINT \"FK_d7ff59f708e396fd6c1656a66e9\"");
    await queryRunner.query("DROP INDEX \"public\".\"alerts_key_uq\"");
    await queryRunner.query("DROP INDEX \"public\".\"alerts_customer_idx\"");
    await queryRunner.query("DROP TABLE \"alerts\"");
    await queryRunner.query("DROP INDEX \"public\".\"allocation_reviews_pair_idx\"");
    await queryRunner.query("DROP INDEX \"public\".\"allocation_reviews_allocation_idx\"");
    await queryRunner.query("DROP TABLE \"allocation_reviews\"");
    await queryRunner.query("DROP INDEX \"public\".\"payment_promises_customer_idx\"");
    await queryRunner.query("DROP INDEX \"public\".\"payment_promises_due_idx\"");
    await queryRunner.query("DROP TABLE \"payment_promises\"");
    await queryRunner.query("DROP INDEX \"public\".\"disputes_invoice_idx\"");
    await queryRunner.query("DROP INDEX \"public\".\"disputes_customer_idx\"");
    await queryRunner.query("DROP TABLE \"disputes\"");
    await queryRunner.query("DROP INDEX \"public\".\"audit_events_subject_idx\"");
    await queryRunner.query("DROP INDEX \"public\".\"audit_events_at_idx\"");
    await queryRunner.query("DROP TABLE \"audit_events\"");
  }
}
