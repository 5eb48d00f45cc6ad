import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SECRET_BOX, SecretBox } from '../crypto/secret-box';
import { TransientSyncError } from '../../connectors/connector';

/** Namespace of the advisory locks taken on connection credentials ("LBcr"). */
const LOCK_NAMESPACE = 0x4c426372;

/**
 * A per-connection lock across processes and replicas (a PostgreSQL transaction-level
 * advisory lock) under which the connection's stored credentials are re-read. Token
 * refreshes run inside it, so two workers never spend the same refresh token.
 */
@Injectable()
export class ConnectionCredentialsLock {
  constructor(
    private readonly ds: DataSource,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
  ) {}

  async withLock<T>(
    tenantId: string,
    connectionId: string,
    fn: (stored: Record<string, unknown> | null) => Promise<T>,
    waitSeconds = 60,
  ): Promise<T> {
    const qr = this.ds.createQueryRunner();
    await qr.connect();
    try {
      await qr.startTransaction();
      await qr.query(`SET LOCAL lock_timeout = '${Math.max(1, Math.floor(waitSeconds))}s'`);
      try {
        await qr.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_NAMESPACE, connectionId]);
      } catch (e) {
        if ((e as { driverError?: { code?: string } }).driverError?.code === '55P03') {
          throw new TransientSyncError(`credentials of connection ${connectionId} are locked by another worker`, 5_000, { cause: e });
        }
        throw e;
      }
      const rows: Array<{ credentials_encrypted: string | null }> = await qr.query(
        'SELECT credentials_encrypted FROM connections WHERE tenant_id = $1 AND id = $2',
        [tenantId, connectionId],
      );
      const sealed = rows[0]?.credentials_encrypted ?? null;
      const stored = sealed ? this.box.openJson<Record<string, unknown>>(sealed, connectionId) : null;
      const out = await fn(stored);
      await qr.commitTransaction();
      return out;
    } catch (e) {
      if (qr.isTransactionActive) await qr.rollbackTransaction();
      throw e;
    } finally {
      await qr.release();
    }
  }
}
