import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAt } from '../../common/database/columns';

/** A tenant's outgoing webhook: dunning events POSTed as JSON, signed with HMAC-SHA256. */
@Entity('dunning_webhooks')
@Index('dunning_webhooks_tenant_idx', ['tenantId'])
export class WebhookEndpoint {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ type: 'text' })
  url: string;

  /** The signing secret, encrypted (SecretBox); returned once at creation. */
  @Column({ name: 'secret_encrypted', type: 'text', select: false })
  secretEncrypted: string;

  /** Event types delivered; empty = all. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  events: string[];

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @CreatedAt()
  createdAt: Date;
}
