import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { ConnectorRegistry } from '../connectors/registry';
import { ConnectionsService } from './connections.service';
import { classifySyncError } from './sync-error';

/** `testConnection()` of a connection's provider with its stored settings and credentials. */
@Injectable()
export class ConnectionTestService {
  constructor(
    private readonly connections: ConnectionsService,
    private readonly registry: ConnectorRegistry,
    private readonly clock: Clock,
  ) {}

  async test(tenantId: string, id: string): Promise<{ ok: boolean; error?: string; permanent?: boolean }> {
    const conn = await this.connections.get(tenantId, id);
    const connector = this.registry.get(conn.provider);
    const ctx = {
      tenantId,
      connectionId: id,
      settings: conn.settings,
      credentials: await this.connections.credentials(tenantId, id),
      saveCredentials: (c: Record<string, unknown>) => this.connections.saveCredentials(tenantId, id, c),
      signal: AbortSignal.timeout(30_000),
      logger: new Logger(`test:${conn.provider}`),
      clock: this.clock,
    };
    try {
      await connector.testConnection(ctx);
      return { ok: true };
    } catch (e) {
      const c = classifySyncError(e);
      return { ok: false, error: c.message, permanent: c.kind === 'permanent' };
    }
  }
}
