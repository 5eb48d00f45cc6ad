import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../../common/config/app-config';
import { APP_CONFIG } from '../../common/config/config.module';
import { consentApp, consentRedirectUri, ConsentStates } from '../oauth-consent';
import { ConsentKit, type ConsentVendor } from '../oauth-consent-kit';

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
  private readonly states: ConsentStates;
  private readonly vendor: ConsentVendor;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly kit: ConsentKit,
  ) {
    this.vendor = { provider: 'sage', label: 'Sage', tokenUrl: config.sage.oauthUrl, clientAuth: 'body', logger: new Logger(SageOAuthService.name) };
    this.states = kit.states(this.vendor);
  }

  get redirectUri(): string {
    return consentRedirectUri(this.config.publicUrl, 'sage');
  }

  async authorizeUrl(tenantId: string, connectionId: string): Promise<{ url: string; redirectUri: string; expiresAt: string }> {
    await this.kit.connectionToAuthorize(this.vendor, tenantId, connectionId);
    const { clientId } = consentApp(this.config.sage, 'SAGE');
    const { state, expiresAt } = this.states.seal(tenantId, connectionId);
    const q = new URLSearchParams({ filter: 'apiv3.1', response_type: 'code', client_id: clientId, redirect_uri: this.redirectUri, scope: 'full_access', state });
    const base = this.config.sage.authorizeUrl;
    return { url: `${base}${base.includes('?') ? '&' : '?'}${q.toString()}`, redirectUri: this.redirectUri, expiresAt };
  }

  async callback(q: { code?: string; state?: string; error?: string }): Promise<{ connectionId: string; businessId: string | null; businesses: SageBusiness[] }> {
    const { state, conn, code } = await this.kit.openCallback(this.vendor, this.states, q);
    const app = consentApp(this.config.sage, 'SAGE');
    const tokens = await this.kit.exchange(this.vendor, conn, app, code, this.redirectUri, { field: 'code', message: 'Sage returned no refresh token' });
    const api = this.kit.api(this.vendor, conn, this.config.sage.apiUrl, tokens.accessToken);
    const listed = (await api.get<{ $items?: Array<{ id?: unknown; displayed_as?: unknown }> }>('/businesses')).data?.$items ?? [];
    const businesses: SageBusiness[] = listed
      .filter((b) => typeof b.id === 'string')
      .map((b) => ({ id: b.id as string, name: typeof b.displayed_as === 'string' ? b.displayed_as : null }));
    const wanted = conn.settings.businessId as string | undefined;
    const chosen = businesses.find((b) => b.id === wanted) ?? (businesses.length === 1 ? businesses[0] : undefined);
    await this.kit.store(state, conn, { ...conn.settings, ...(chosen ? { businessId: chosen.id } : {}) }, app, tokens);
    this.vendor.logger.log({ connectionId: conn.id, tenantId: state.tenantId, businesses: businesses.length, bound: Boolean(chosen) }, 'sage authorization stored');
    return { connectionId: conn.id, businessId: chosen?.id ?? null, businesses };
  }
}
