import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../../common/config/app-config';
import { APP_CONFIG } from '../../common/config/config.module';
import { consentApp, ConsentStates } from '../oauth-consent';
import { ConsentKit, type ConsentVendor } from '../oauth-consent-kit';
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
  private readonly states: ConsentStates;
  private readonly vendor: ConsentVendor;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly kit: ConsentKit,
  ) {
    this.vendor = { provider: 'xero', label: 'Xero', tokenUrl: `${config.xero.identityUrl}/connect/token`, clientAuth: 'basic', logger: new Logger(XeroOAuthService.name) };
    this.states = kit.states(this.vendor);
  }

  get redirectUri(): string {
    return `${this.config.publicUrl.replace(/\/+$/, '')}/v1/oauth/callback`;
  }

  private app(): { clientId: string; clientSecret: string } {
    return consentApp(this.config.xero, 'XERO');
  }

  async authorizeUrl(tenantId: string, connectionId: string, xeroTenantId?: string): Promise<{ url: string; redirectUri: string; expiresAt: string }> {
    await this.kit.connectionToAuthorize(this.vendor, tenantId, connectionId);
    const { clientId } = this.app();
    const { state, expiresAt } = this.states.seal(tenantId, connectionId, xeroTenantId ? { xeroTenantId } : undefined);
    const q = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: this.redirectUri, scope: XERO_SCOPES, state });
    return { url: `${this.config.xero.loginUrl}/identity/connect/authorize?${q.toString()}`, redirectUri: this.redirectUri, expiresAt };
  }

  async callback(code: string | undefined, stateText: string | undefined, error?: string): Promise<XeroCallbackResult> {
    const { state, conn, code: authCode } = await this.kit.openCallback(this.vendor, this.states, { code, state: stateText, error });
    const app = this.app();
    const tokens = await this.kit.exchange(this.vendor, conn, app, authCode, this.redirectUri, {
      field: 'scope',
      message: 'Xero returned no refresh token: the offline_access scope is required',
    });
    const listed = (await this.kit.api(this.vendor, conn, this.config.xero.apiUrl, tokens.accessToken).get<unknown>('/connections')).data;
    const organisations: XeroOrganisation[] = (Array.isArray(listed) ? listed : [])
      .filter((c): c is Record<string, unknown> => typeof c === 'object' && c !== null && typeof (c as Record<string, unknown>).tenantId === 'string')
      .map((c) => ({ tenantId: String(c.tenantId), tenantName: typeof c.tenantName === 'string' ? c.tenantName : null, tenantType: typeof c.tenantType === 'string' ? c.tenantType : null }));
    const orgs = organisations.filter((o) => o.tenantType === null || o.tenantType === 'ORGANISATION');
    const wanted = state.extra?.xeroTenantId ?? (conn.settings.tenantId as string | undefined);
    const chosen = orgs.find((o) => o.tenantId === wanted) ?? (orgs.length === 1 ? orgs[0] : undefined);
    const settings = { ...conn.settings, ...(chosen ? { tenantId: chosen.tenantId, ...(chosen.tenantName ? { tenantName: chosen.tenantName } : {}) } : {}) };
    await this.kit.store(state, conn, settings, app, tokens);
    this.vendor.logger.log({ connectionId: conn.id, tenantId: state.tenantId, organisations: orgs.length, bound: Boolean(chosen) }, 'xero authorization stored');
    return { connectionId: conn.id, tenantId: chosen?.tenantId ?? null, tenantName: chosen?.tenantName ?? null, organisations: orgs };
  }
}
