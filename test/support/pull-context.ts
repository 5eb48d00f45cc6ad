import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Clock } from '../../src/common/clock';
import type { SecretBox } from '../../src/common/crypto/secret-box';
import type { PullContext } from '../../src/connectors/connector';

/** A tenant and a connection row with sealed credentials, written straight into the database. */
export async function aSealedConnection(
  ds: DataSource,
  box: SecretBox,
  opts: { provider: string; settings?: object; credentials?: Record<string, unknown> | null; tenantId?: string },
): Promise<{ tenantId: string; connectionId: string }> {
  const tenantId = opts.tenantId ?? randomUUID();
  if (!opts.tenantId) await ds.query(`INSERT INTO tenants (id, name) VALUES ($1, $2)`, [tenantId, `Tenant ${tenantId.slice(0, 8)}`]);
  const connectionId = randomUUID();
  await ds.query(
    `INSERT INTO connections (id, tenant_id, provider, name, settings, credentials_encrypted) VALUES ($1, $2, $3, $4, $5, $6)`,
    [connectionId, tenantId, opts.provider, `conn-${connectionId.slice(0, 8)}`, JSON.stringify(opts.settings ?? {}),
     opts.credentials ? box.sealJson(opts.credentials, connectionId) : null],
  );
  return { tenantId, connectionId };
}

export async function storedCredentials(ds: DataSource, box: SecretBox, connectionId: string): Promise<Record<string, unknown> | null> {
  const [row] = await ds.query(`SELECT credentials_encrypted FROM connections WHERE id = $1`, [connectionId]);
  return row?.credentials_encrypted ? box.openJson(row.credentials_encrypted, connectionId) : null;
}

/**
 * A PullContext as the sync runner builds it: credentials decrypted from the row, rotated
 * ones sealed back into it at once.
 */
export async function pullContextFor(
  ds: DataSource,
  box: SecretBox,
  ids: { tenantId: string; connectionId: string },
  clock: Clock,
): Promise<PullContext & { saved: Record<string, unknown>[] }> {
  const [row] = await ds.query(`SELECT settings FROM connections WHERE id = $1 AND tenant_id = $2`, [ids.connectionId, ids.tenantId]);
  const saved: Record<string, unknown>[] = [];
  return {
    tenantId: ids.tenantId,
    connectionId: ids.connectionId,
    settings: row.settings,
    credentials: await storedCredentials(ds, box, ids.connectionId),
    saveCredentials: async (c) => {
      await ds.query(`UPDATE connections SET credentials_encrypted = $1 WHERE id = $2 AND tenant_id = $3`, [
        box.sealJson(c, ids.connectionId),
        ids.connectionId,
        ids.tenantId,
      ]);
      saved.push(c);
    },
    signal: new AbortController().signal,
    logger: new Logger('test-pull'),
    clock,
    saved,
  };
}
