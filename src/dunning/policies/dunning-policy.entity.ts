import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Tenant } from '../../common/auth/tenant.entity';
import { CreatedAt, UpdatedAt } from '../../common/database/columns';
import type { PolicyDefinition } from './policy.types';

/** A dunning scenario of a tenant: its validated definition (ordered steps, variants). */
@Entity('dunning_policies')
@Index('dunning_policies_name_uq', ['tenantId', 'name'], { unique: true })
@Index('dunning_policies_default_uq', ['tenantId'], { unique: true, where: '"is_default"' })
export class DunningPolicy {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Tenant;

  @Column({ type: 'text' })
  name: string;

  /** The tenant's default policy (at most one). */
  @Column({ name: 'is_default', type: 'boolean', default: false })
  isDefault: boolean;

  @Column({ type: 'jsonb' })
  definition: PolicyDefinition;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
