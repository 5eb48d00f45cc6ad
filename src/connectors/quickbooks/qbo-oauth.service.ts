import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../common/clock';
import type { AppConfig } from '../../common/config/app-config';
import { APP_CONFIG } from '../../common/config/config.module';
import { SECRET_BOX, SecretBox } from '../../common/crypto/secret-box';
import { ValidationError } from '../../common/errors';
import { OAuth2Client } from '../../common/http/oauth2-client';
import { Sleeper } from '../../common/http/sleeper';
import { ConnectionsService } from '../../sync/connections.service';
import { consentApp, consentRedirectUri, ConsentStates } from '../oauth-consent';

export const QBO_SCOPE = 'com.intuit.quickbooks.accounting';

/**
 * QuickBooks Online's authorization-code flow: the consent URL carries a sealed `state`;
 * Intuit redirects back with `code` and the chosen company's `realmId`; the code is exchanged
 * (access token 1 h, rotating refresh token ~100 days), the tokens stored encrypted on the
 * connection and `settings.realmId` set.
 */
@Injectable()
export class QboOAuthService {
  private readonly logger = new Logger(QboOAuthService.name);
  private readonly states: ConsentStates;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SECRET_BOX) box: SecretBox,
    private readonly connections: ConnectionsService,
    private readonly clock: Clock,
    private readonly sleeper: Sleeper,
  ) {
    this.states = new ConsentStates(box, clock, 'quickbooks');
  }

  get redirectUri(): string {
    return consentRedirectUri(this.config.publicUrl, 'quickbooks');
  }

  async authorizeUrl(tenantId: string, connectionId: string): Promise<{ url: string; redirectUri: string; expiresAt: string }> {
    const conn = await this.connections.get(tenantId, connectionId);
    if (conn.provider !== 'quickbooks') throw new ValidationError([{ field: 'provider', message: `connection ${connectionId} is a ${conn.provider} connection, not quickbooks` }]);
    const { clientId } = consentApp(this.config.quickbooks, 'QBO');
    const { state, expiresAt } = this.states.seal(tenantId, connectionId);
    const q = new URLSearchParams({ client_id: clientId, response_type: 'code', scope: QBO_SCOPE, redirect_uri: this.redirectUri, state });
    return { url: `${this.config.quickbooks.authorizeUrl}?${q.toString()}`, redirectUri: this.redirectUri, expiresAt };
  }

  async callback(q: { code?: string; state?: string; realmId?: string; error?: string }): Promise<{ connectionId: string; realmId: string }> {
    if (q.error) throw new ValidationError([{ field: 'error', message: `QuickBooks refused the authorization: ${q.error}` }]);
    const state = this.states.open(q.state);
    if (!q.code) throw new ValidationError([{ field: 'code', message: 'missing' }]);
    if (!q.realmId || !/^\d{1,30}$/.test(q.realmId)) throw new ValidationError([{ field: 'realmId', message: 'missing or not a QuickBooks company id' }]);
    const conn = await this.connections.get(state.tenantId, state.connectionId);
    const app = consentApp(this.config.quickbooks, 'QBO');
    const oauth = new OAuth2Client(
      { tokenUrl: this.config.quickbooks.oauthUrl, clientAuth: 'basic' },
      { connectionId: conn.id, logger: this.logger, clock: this.clock, sleeper: this.sleeper },
    );
    const tokens = await oauth.exchangeCode(app, q.code, this.redirectUri);
    if (!tokens.refreshToken) throw new ValidationError([{ field: 'code', message: 'Intuit returned no refresh token' }]);
    await this.connections.update(state.tenantId, conn.id, {
      settings: { ...conn.settings, realmId: q.realmId },
      credentials: { ...app, refreshToken: tokens.refreshToken, accessToken: tokens.accessToken, accessTokenExpiresAt: tokens.expiresAt },
    });
    this.logger.log({ connectionId: conn.id, tenantId: state.tenantId, realmId: q.realmId }, 'quickbooks authorization stored');
    return { connectionId: conn.id, realmId: q.realmId };
  }
}
