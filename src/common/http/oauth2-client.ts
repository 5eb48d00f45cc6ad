import type { Clock } from '../clock';
import { PermanentSyncError } from '../../connectors/connector';
import { ApiClient, ApiClientOptions } from './api-client';
import { HttpStatusError } from './http-errors';

/** A vendor's OAuth2 token endpoint; vendor specifics are passed in by the connector. */
export interface OAuth2Endpoint {
  /** Absolute token URL, e.g. `https://identity.xero.com/connect/token`. */
  tokenUrl: string;
  /** `basic`: client id/secret in an `Authorization: Basic` header; `body`: as form fields. */
  clientAuth: 'basic' | 'body';
}

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

export interface TokenSet {
  accessToken: string;
  /** The new refresh token when the vendor rotates it, else the one sent. */
  refreshToken: string | null;
  /** ISO date-time at which the access token expires. */
  expiresAt: string;
  scope: string | null;
}

/** The refresh token (or code) was refused for good: a person must reconnect. */
export class ReconnectRequiredError extends PermanentSyncError {
  constructor(reason: string) {
    super(`reconnect required: ${reason}`);
    this.name = 'ReconnectRequiredError';
  }
}

/**
 * Calls a token endpoint (refresh, authorization-code exchange) through the shared retry
 * policy; `invalid_grant` and `invalid_client` become `ReconnectRequiredError`, never a retry.
 */
export class OAuth2Client {
  private readonly http: ApiClient;
  private readonly clock: Clock;

  constructor(
    private readonly endpoint: OAuth2Endpoint,
    opts: Omit<ApiClientOptions, 'baseURL' | 'auth' | 'budget'>,
  ) {
    this.http = new ApiClient({ ...opts, baseURL: endpoint.tokenUrl });
    this.clock = opts.clock;
  }

  refresh(client: ClientCredentials, refreshToken: string): Promise<TokenSet> {
    return this.token(client, { grant_type: 'refresh_token', refresh_token: refreshToken }, refreshToken);
  }

  exchangeCode(client: ClientCredentials, code: string, redirectUri: string): Promise<TokenSet> {
    return this.token(client, { grant_type: 'authorization_code', code, redirect_uri: redirectUri }, null);
  }

  private async token(client: ClientCredentials, form: Record<string, string>, sentRefresh: string | null): Promise<TokenSet> {
    const body = new URLSearchParams(form);
    const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
    if (this.endpoint.clientAuth === 'basic') {
      headers.Authorization = `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`;
    } else {
      body.set('client_id', client.clientId);
      body.set('client_secret', client.clientSecret);
    }
    let data: Record<string, unknown>;
    try {
      data = (await this.http.request<Record<string, unknown>>({ method: 'POST', url: '', data: body.toString(), headers })).data;
    } catch (e) {
      if (e instanceof HttpStatusError) {
        const err = (e.body as { error?: unknown } | null)?.error;
        if (err === 'invalid_grant') throw new ReconnectRequiredError('the authorization was refused by the provider (invalid_grant)');
        if (err === 'invalid_client' || e.status === 401) throw new ReconnectRequiredError('the client credentials were refused (invalid_client)');
      }
      throw e;
    }
    const accessToken = data?.access_token;
    const expiresIn = Number(data?.expires_in ?? 1800);
    if (typeof accessToken !== 'string' || !accessToken) throw new PermanentSyncError('token endpoint answered without an access_token');
    const rotated = typeof data.refresh_token === 'string' && data.refresh_token ? data.refresh_token : sentRefresh;
    return {
      accessToken,
      refreshToken: rotated,
      expiresAt: new Date(this.now() + (Number.isFinite(expiresIn) ? expiresIn : 1800) * 1000).toISOString(),
      scope: typeof data.scope === 'string' ? data.scope : null,
    };
  }

  private now(): number {
    return this.clock.now().getTime();
  }
}
