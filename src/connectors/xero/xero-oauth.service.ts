import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../common/clock';
import type { AppConfig } from '../../common/config/app-config';
import { APP_CONFIG } from '../../common/config/config.module';
import { SECRET_BOX, SecretBox } from '../../common/crypto/secret-box';
import { ValidationError } from '../../common/errors';
import { ApiClient } from '../../common/http/api-client';
import { OAuth2Client } from '../../common/http/oauth2-client';
import { Sleeper } from '../../common/http/sleeper';
import { ConnectionsService } from '../../sync/connections.service';
import { PermanentSyncError } from '../connector';
import { consentApp, ConsentStates } from '../oauth-consent';
import { XERO_SCOPES } from './xero-settings';

export interface XeroOrganisation {
  tenantId: string;
  tenantName: string | null;
  tenantType: string | null;
}

export interface XeroCallbackResult {
  connectionId: string;
  /** The organisation bound to the connection; null when the admin must choose one. */
  tenantId: string | null;
  tenantName: string | null;
  organisations: XeroOrganisation[];
}

/**
 * Xero's consent flow: the consent URL carries a `state` sealed with the master key
 * (`ConsentStates`: tamper-proof, expiring, bound to the tenant and connection); the callback
 * exchanges the code, lists the organisations the user authorised (`/connections`), stores
 * the tokens (encrypted) and binds the chosen organisation's `tenantId`.
 */
@Injectable()
export class XeroOAuthService {
  private readonly logger = new Logger(XeroOAuthService.name);
  private readonly states: ConsentStates;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SECRET_BOX) box: SecretBox,
    private readonly connections: ConnectionsService,
    private readonly clock: Clock,
    private readonly sleeper: Sleeper,
  ) {
    this.states = new ConsentStates(box, clock, 'xero');
  }

  get redirectUri(): string {
    return `${this.config.publicUrl.replace(/\/+$/, '')}/v1/oauth/callback`;
  }

  private app(): { clientId: string; clientSecret: string } {
    return consentApp(this.config.xero, 'XERO');
  }

  async authorizeUrl(tenantId: string, connectionId: string, xeroTenantId?: string): Promise<{ url: string; redirectUri: string; expiresAt: string }> {
    const conn = await this.connections.get(tenantId, connectionId);
    if (conn.provider !== 'xero') throw new ValidationError([{ field: 'provider', message: `connection ${connectionId} is a ${conn.provider} connection, not xero` }]);
    const { clientId } = this.app();
    const { state, expiresAt } = this.states.seal(tenantId, connectionId, xeroTenantId ? { xeroTenantId } : undefined);
    const q = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: this.redirectUri, scope: XERO_SCOPES, state });
    return { url: `${this.config.xero.loginUrl}/identity/connect/authorize?${q.toString()}`, redirectUri: this.redirectUri, expiresAt };
  }

  async callback(code: string | undefined, stateText: string | undefined, error?: string): Promise<XeroCallbackResult> {
    if (error) throw new ValidationError([{ field: 'error', message: `Xero refused the authorization: ${error}` }]);
    const state = this.states.open(stateText);
    if (!code) throw new ValidationError([{ field: 'code', message: 'missing' }]);
    const conn = await this.connections.get(state.tenantId, state.connectionId);
    const app = this.app();
    const common = { connectionId: conn.id, logger: this.logger, clock: this.clock, sleeper: this.sleeper };
    const oauth = new OAuth2Client({ tokenUrl: `${this.config.xero.identityUrl}/connect/token`, clientAuth: 'basic' }, common);
    let tokens: Awaited<ReturnType<OAuth2Client['exchangeCode']>>;
    try {
      tokens = await oauth.exchangeCode(app, code, this.redirectUri);
    } catch (e) {
      if (e instanceof PermanentSyncError) throw new ValidationError([{ field: 'code', message: `Xero refused the code: ${e.message}` }]);
      throw e;
    }
    if (!tokens.refreshToken) throw new ValidationError([{ field: 'scope', message: 'Xero returned no refresh token: the offline_access scope is required' }]);
    const api = new ApiClient({ ...common, baseURL: this.config.xero.apiUrl, headers: { Authorization: `Bearer ${tokens.accessToken}` } });
    const listed = (await api.get<unknown>('/connections')).data;
    const organisations: XeroOrganisation[] = (Array.isArray(listed) ? listed : [])
      .filter((c): c is Record<string, unknown> => typeof c === 'object' && c !== null && typeof (c as Record<string, unknown>).tenantId === 'string')
      .map((c) => ({ tenantId: String(c.tenantId), tenantName: typeof c.tenantName === 'string' ? c.tenantName : null, tenantType: typeof c.tenantType === 'string' ? c.tenantType : null }));
    const orgs = organisations.filter((o) => o.tenantType === null || o.tenantType === 'ORGANISATION');
    const wanted = state.extra?.xeroTenantId ?? (conn.settings.tenantId as string | undefined);
    const chosen = orgs.find((o) => o.tenantId === wanted) ?? (orgs.length === 1 ? orgs[0] : undefined);
    const settings = { ...conn.settings, ...(chosen ? { tenantId: chosen.tenantId, ...(chosen.tenantName ? { tenantName: chosen.tenantName } : {}) } : {}) };
    await this.connections.update(state.tenantId, conn.id, {
      settings,
      credentials: { ...app, refreshToken: tokens.refreshToken, accessToken: tokens.accessToken, accessTokenExpiresAt: tokens.expiresAt },
    });
    this.logger.log({ connectionId: conn.id, tenantId: state.tenantId, organisations: orgs.length, bound: Boolean(chosen) }, 'xero authorization stored');
    return { connectionId: conn.id, tenantId: chosen?.tenantId ?? null, tenantName: chosen?.tenantName ?? null, organisations: orgs };
  }
}
