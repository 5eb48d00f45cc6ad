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
import { consentApp, consentRedirectUri, ConsentStates } from '../oauth-consent';

export interface SageBusiness {
  id: string;
  name: string | null;
}

/**
 * Sage Accounting's authorization-code flow: consent URL (`filter=apiv3.1`, scope
 * `full_access`) with a sealed `state`; the callback exchanges the code (access token 5 min,
 * refresh token rotating), stores the tokens encrypted on the connection, lists the user's
 * businesses and binds `settings.businessId` when there is one (or the one already set).
 */
@Injectable()
export class SageOAuthService {
  private readonly logger = new Logger(SageOAuthService.name);
  private readonly states: ConsentStates;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SECRET_BOX) box: SecretBox,
    private readonly connections: ConnectionsService,
    private readonly clock: Clock,
    private readonly sleeper: Sleeper,
  ) {
    this.states = new ConsentStates(box, clock, 'sage');
  }

  get redirectUri(): string {
    return consentRedirectUri(this.config.publicUrl, 'sage');
  }

  async authorizeUrl(tenantId: string, connectionId: string): Promise<{ url: string; redirectUri: string; expiresAt: string }> {
    const conn = await this.connections.get(tenantId, connectionId);
    if (conn.provider !== 'sage') throw new ValidationError([{ field: 'provider', message: `connection ${connectionId} is a ${conn.provider} connection, not sage` }]);
    const { clientId } = consentApp(this.config.sage, 'SAGE');
    const { state, expiresAt } = this.states.seal(tenantId, connectionId);
    const q = new URLSearchParams({ filter: 'apiv3.1', response_type: 'code', client_id: clientId, redirect_uri: this.redirectUri, scope: 'full_access', state });
    const base = this.config.sage.authorizeUrl;
    return { url: `${base}${base.includes('?') ? '&' : '?'}${q.toString()}`, redirectUri: this.redirectUri, expiresAt };
  }

  async callback(q: { code?: string; state?: string; error?: string }): Promise<{ connectionId: string; businessId: string | null; businesses: SageBusiness[] }> {
    if (q.error) throw new ValidationError([{ field: 'error', message: `Sage refused the authorization: ${q.error}` }]);
    const state = this.states.open(q.state);
    if (!q.code) throw new ValidationError([{ field: 'code', message: 'missing' }]);
    const conn = await this.connections.get(state.tenantId, state.connectionId);
    const app = consentApp(this.config.sage, 'SAGE');
    const common = { connectionId: conn.id, logger: this.logger, clock: this.clock, sleeper: this.sleeper };
    const tokens = await new OAuth2Client({ tokenUrl: this.config.sage.oauthUrl, clientAuth: 'body' }, common).exchangeCode(app, q.code, this.redirectUri);
    if (!tokens.refreshToken) throw new ValidationError([{ field: 'code', message: 'Sage returned no refresh token' }]);
    const api = new ApiClient({ ...common, baseURL: this.config.sage.apiUrl, headers: { Authorization: `Bearer ${tokens.accessToken}` } });
    const listed = (await api.get<{ $items?: Array<{ id?: unknown; displayed_as?: unknown }> }>('/businesses')).data?.$items ?? [];
    const businesses: SageBusiness[] = listed
      .filter((b) => typeof b.id === 'string')
      .map((b) => ({ id: b.id as string, name: typeof b.displayed_as === 'string' ? b.displayed_as : null }));
    const wanted = conn.settings.businessId as string | undefined;
    const chosen = businesses.find((b) => b.id === wanted) ?? (businesses.length === 1 ? businesses[0] : undefined);
    await this.connections.update(state.tenantId, conn.id, {
      settings: { ...conn.settings, ...(chosen ? { businessId: chosen.id } : {}) },
      credentials: { ...app, refreshToken: tokens.refreshToken, accessToken: tokens.accessToken, accessTokenExpiresAt: tokens.expiresAt },
    });
    this.logger.log({ connectionId: conn.id, tenantId: state.tenantId, businesses: businesses.length, bound: Boolean(chosen) }, 'sage authorization stored');
    return { connectionId: conn.id, businessId: chosen?.id ?? null, businesses };
  }
}
