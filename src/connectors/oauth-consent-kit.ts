import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { SECRET_BOX, SecretBox } from '../common/crypto/secret-box';
import { ValidationError } from '../common/errors';
import { ApiClient } from '../common/http/api-client';
import { OAuth2Client } from '../common/http/oauth2-client';
import { Sleeper } from '../common/http/sleeper';
import type { Connection } from '../sync/connection.entity';
import { ConnectionsService } from '../sync/connections.service';
import { PermanentSyncError } from './connector';
import { ConsentStates, type ConsentState } from './oauth-consent';

export interface ConsentVendor {
  /** The connection provider id (`quickbooks`, `sage`, `xero`). */
  provider: string;
  /** The vendor's name in messages. */
  label: string;
  tokenUrl: string;
  clientAuth: 'basic' | 'body';
  logger: Logger;
}

export type AppCredentials = { clientId: string; clientSecret: string };
export type CodeTokens = Awaited<ReturnType<OAuth2Client['exchangeCode']>>;

/**
 * The steps every vendor's authorization-code flow shares: the connection to authorize (of
 * the tenant, of the vendor's provider), the callback's checks (vendor error, sealed state,
 * code), the code exchange (a refused code is a field error, a missing refresh token too),
 * an API client on the new access token, and storing the tokens encrypted on the connection.
 */
@Injectable()
export class ConsentKit {
  constructor(
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    private readonly connections: ConnectionsService,
    private readonly clock: Clock,
    private readonly sleeper: Sleeper,
  ) {}

  /** The sealed `state` values of the vendor's consent URLs. */
  states(vendor: ConsentVendor): ConsentStates {
    return new ConsentStates(this.box, this.clock, vendor.provider);
  }

  /** The tenant's connection, which must be one of the vendor's. */
  async connectionToAuthorize(vendor: ConsentVendor, tenantId: string, connectionId: string): Promise<Connection> {
    const conn = await this.connections.get(tenantId, connectionId);
    if (conn.provider !== vendor.provider) {
      throw new ValidationError([{ field: 'provider', message: `connection ${connectionId} is a ${conn.provider} connection, not ${vendor.provider}` }]);
    }
    return conn;
  }

  /** Checks the callback and answers its state, its connection and its code. */
  async openCallback(
    vendor: ConsentVendor,
    states: ConsentStates,
    q: { code?: string; state?: string; error?: string },
  ): Promise<{ state: ConsentState; conn: Connection; code: string }> {
    if (q.error) throw new ValidationError([{ field: 'error', message: `${vendor.label} refused the authorization: ${q.error}` }]);
    const state = states.open(q.state);
    if (!q.code) throw new ValidationError([{ field: 'code', message: 'missing' }]);
    return { state, conn: await this.connections.get(state.tenantId, state.connectionId), code: q.code };
  }

  /** Exchanges the code; `noRefresh` is the message when the vendor returns no refresh token. */
  async exchange(
    vendor: ConsentVendor,
    conn: Connection,
    app: AppCredentials,
    code: string,
    redirectUri: string,
    noRefresh: { field: string; message: string },
  ): Promise<CodeTokens & { refreshToken: string }> {
    const oauth = new OAuth2Client({ tokenUrl: vendor.tokenUrl, clientAuth: vendor.clientAuth }, this.context(vendor, conn));
    let tokens: CodeTokens;
    try {
      tokens = await oauth.exchangeCode(app, code, redirectUri);
    } catch (e) {
      if (e instanceof PermanentSyncError) throw new ValidationError([{ field: 'code', message: `${vendor.label} refused the code: ${e.message}` }]);
      throw e;
    }
    if (!tokens.refreshToken) throw new ValidationError([noRefresh]);
    return tokens as CodeTokens & { refreshToken: string };
  }

  /** An API client on the access token just obtained (e.g. to list the user's companies). */
  api(vendor: ConsentVendor, conn: Connection, baseURL: string, accessToken: string): ApiClient {
    return new ApiClient({ ...this.context(vendor, conn), baseURL, headers: { Authorization: `Bearer ${accessToken}` } });
  }

  /** Stores the tokens (encrypted) and the settings on the connection. */
  async store(state: ConsentState, conn: Connection, settings: Record<string, unknown>, app: AppCredentials, tokens: CodeTokens & { refreshToken: string }): Promise<void> {
    await this.connections.update(state.tenantId, conn.id, {
      settings,
      credentials: { ...app, refreshToken: tokens.refreshToken, accessToken: tokens.accessToken, accessTokenExpiresAt: tokens.expiresAt },
    });
  }

  private context(vendor: ConsentVendor, conn: Connection) {
    return { connectionId: conn.id, logger: vendor.logger, clock: this.clock, sleeper: this.sleeper };
  }
}
