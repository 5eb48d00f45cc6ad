import { Column, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Connection } from '../sync/connection.entity';
import { CreatedAt, UpdatedAt } from '../common/database/columns';

/**
 * Columns every synced row carries: owner tenant and connection, the id in the source,
 * a content hash (unchanged rows are skipped on upsert) and a tombstone.
 */
export abstract class SyncedRow {
  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'connection_id', type: 'uuid' })
  connectionId: string;

  // Kept by statement-level triggers, not a foreign key (1796400000000-LedgerReferencesBySet).
  @ManyToOne(() => Connection, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'connection_id' })
  connection?: Connection;

  @Column({ name: 'external_id', type: 'text' })
  externalId: string;

  @Column({ name: 'content_hash', type: 'text' })
  contentHash: string;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}

export { Index };
