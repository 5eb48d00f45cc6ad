import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAt } from '../database/columns';

@Entity('tenants')
export class Tenant {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  /** IANA timezone used for business days, sending windows and "today". */
  @Column({ type: 'text', default: 'Europe/Paris' })
  timezone: string;

  /** Tenant-level options (reconciliation, dunning...), validated by the modules that own them. */
  @Column({ type: 'jsonb', default: {} })
  settings: Record<string, unknown>;

  @CreatedAt()
  createdAt: Date;
}
