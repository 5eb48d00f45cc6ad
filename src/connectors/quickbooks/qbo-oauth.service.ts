import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../../common/config/app-config';
import { APP_CONFIG } from '../../common/config/config.module';
import { ValidationError } from '../../common/errors';
import { consentApp, consentRedirectUri, ConsentStates } from '../oauth-consent';
import { ConsentKit, type ConsentVendor } from '../oauth-consent-kit';

export const QBO_SCOPE = 'com.intuit.quickbooks.accounting';

/**
 * QuickBooks Online's authorization-code flow: the consent URL carries a sealed `state`;
 * Intuit redirects back with `code` and the chosen company's `realmId`; the code is exchanged
 * (access token 1 h, rotating refresh token ~100 days), the tokens stored encrypted on the
 * connection and `settings.realmId` set.
 */
@Injectable()
export class QboOAuthService {
  private readonly states: ConsentStates;
  private readonly vendor: ConsentVendor;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly kit: ConsentKit,
  ) {
    this.vendor = { provider: 'quickbooks', label: 'QuickBooks', tokenUrl: config.quickbooks.oauthUrl, clientAuth: 'basic', logger: new Logger(QboOAuthService.name) };
    this.states = kit.states(this.vendor);
  }

  get redirectUri(): string {
    return consentRedirectUri(this.config.publicUrl, 'quickbooks');
  }

  async authorizeUrl(tenantId: string, connectionId: string): Promise<{ url: string; redirectUri: string; expiresAt: string }> {
    await this.kit.connectionToAuthorize(this.vendor, tenantId, connectionId);
    const { clientId } = consentApp(this.config.quickbooks, 'QBO');
    const { state, expiresAt } = this.states.seal(tenantId, connectionId);
    const q = new URLSearchParams({ client_id: clientId, response_type: 'code', scope: QBO_SCOPE, redirect_uri: this.redirectUri, state });
    return { url: `${this.config.quickbooks.authorizeUrl}?${q.toString()}`, redirectUri: this.redirectUri, expiresAt };
  }

  async callback(q: { code?: string; state?: string; realmId?: string; error?: string }): Promise<{ connectionId: string; realmId: string }> {
    const { state, conn, code } = await this.kit.openCallback(this.vendor, this.states, q);
    if (!q.realmId || !/^\d{1,30}$/.test(q.realmId)) throw new ValidationError([{ field: 'realmId', message: 'missing or not a QuickBooks company id' }]);
    const app = consentApp(this.config.quickbooks, 'QBO');
    const tokens = await this.kit.exchange(this.vendor, conn, app, code, this.redirectUri, { field: 'code', message: 'Intuit returned no refresh token' });
    await this.kit.store(state, conn, { ...conn.settings, realmId: q.realmId }, app, tokens);
    this.vendor.logger.log({ connectionId: conn.id, tenantId: state.tenantId, realmId: q.realmId }, 'quickbooks authorization stored');
    return { connectionId: conn.id, realmId: q.realmId };
  }
}
