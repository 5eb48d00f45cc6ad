import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Tenant } from '../common/auth/tenant.entity';
import { CreatedAt, UpdatedAt } from '../common/database/columns';

export type ConnectionStatus = 'ok' | 'needs_attention' | 'paused';

@Entity('connections')
@Index('connections_tenant_name_uq', ['tenantId', 'name'], { unique: true })
@Check('connections_status_check', `"status" IN ('ok', 'needs_attention', 'paused')`)
export class Connection {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Tenant;

  @Column({ type: 'text' })
  provider: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'jsonb', default: {} })
  settings: Record<string, unknown>;

  /** AES-256-GCM envelope (see SecretBox); never returned by the API. */
  @Column({ name: 'credentials_encrypted', type: 'text', nullable: true, select: false })
  credentialsEncrypted: string | null;

  @Column({ type: 'text', nullable: true })
  cron: string | null;

  @Column({ type: 'text', default: 'UTC' })
  timezone: string;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Column({ type: 'jsonb', nullable: true })
  cursor: Record<string, unknown> | null;

  @Column({ type: 'text', default: 'ok' })
  status: ConnectionStatus;

  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason: string | null;

  /** When a paused connection (e.g. a daily API limit reached) may run again. */
  @Column({ name: 'paused_until', type: 'timestamptz', nullable: true })
  pausedUntil: Date | null;

  @Column({ name: 'last_run_at', type: 'timestamptz', nullable: true })
  lastRunAt: Date | null;

  @Column({ name: 'last_success_at', type: 'timestamptz', nullable: true })
  lastSuccessAt: Date | null;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
