import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Tenant } from './tenant.entity';
import { CreatedAt } from '../database/columns';

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

@Entity('api_keys')
@Check('api_keys_role_check', `"role" IN ('admin', 'operator', 'viewer')`)
@Index('api_keys_tenant_idx', ['tenantId'])
export class ApiKey {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Tenant;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  role: Role;

  /** First characters of the key, shown in listings so a key can be recognised. */
  @Column({ type: 'text' })
  prefix: string;

  /** SHA-256 of the full key; the key itself is never stored. */
  @Index('api_keys_hash_uq', { unique: true })
  @Column({ name: 'key_hash', type: 'text' })
  keyHash: string;

  @CreatedAt()
  createdAt: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
