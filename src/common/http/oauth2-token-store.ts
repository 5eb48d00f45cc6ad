import { Injectable } from '@nestjs/common';
import { Clock } from '../clock';
import type { PullContext } from '../../connectors/connector';
import type { RequestAuth } from './api-client';
import { ConnectionCredentialsLock } from './connection-credentials-lock';
import { OAuth2Client, ReconnectRequiredError } from './oauth2-client';

/** What an OAuth2 connection stores (encrypted) in its credentials. */
export interface OAuth2Credentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  accessToken?: string;
  /** ISO date-time. */
  accessTokenExpiresAt?: string;
  [extra: string]: unknown;
}

export interface OAuth2SessionOptions {
  /** Refresh this long before the access token expires. */
  refreshSkewMs?: number;
  /** Header carrying the token; `Authorization: Bearer` by default. */
  header?: (accessToken: string) => Record<string, string>;
}

/**
 * Hands out OAuth2 sessions for connections. A session keeps the access token of one pull;
 * refreshes (shortly before expiry, or once after a 401) happen under the connection's
 * cross-replica lock, re-reading the stored credentials first: when another worker has
 * already refreshed, its token is reused and the refresh token is never spent twice. The
 * rotated refresh token is saved (encrypted, through `PullContext.saveCredentials`) before
 * the new access token is used.
 */
@Injectable()
export class OAuth2TokenStore {
  /** In-process queue per connection, so one process takes the database lock once at a time. */
  private readonly local = new Map<string, Promise<unknown>>();

  constructor(
    private readonly lock: ConnectionCredentialsLock,
    private readonly clock: Clock,
  ) {}

  session(ctx: PullContext, client: OAuth2Client, opts: OAuth2SessionOptions = {}): OAuth2Session {
    return new OAuth2Session(this, ctx, client, opts);
  }

  /** Runs `fn` under the connection's in-process queue and cross-process lock. */
  async underLock<T>(ctx: PullContext, fn: (stored: Record<string, unknown> | null) => Promise<T>): Promise<T> {
    const prev = this.local.get(ctx.connectionId) ?? Promise.resolve();
    const run = prev.catch(() => undefined).then(() => this.lock.withLock(ctx.tenantId, ctx.connectionId, fn));
    this.local.set(ctx.connectionId, run);
    try {
      return await run;
    } finally {
      if (this.local.get(ctx.connectionId) === run) this.local.delete(ctx.connectionId);
    }
  }

  now(): Date {
    return this.clock.now();
  }
}

export class OAuth2Session implements RequestAuth {
  private creds: OAuth2Credentials | null;
  /** Token refreshes this session performed (not the ones it found done by others). */
  refreshes = 0;

  constructor(
    private readonly store: OAuth2TokenStore,
    private readonly ctx: PullContext,
    private readonly client: OAuth2Client,
    private readonly opts: OAuth2SessionOptions,
  ) {
    this.creds = asOAuth2Credentials(ctx.credentials);
  }

  async headers(): Promise<Record<string, string>> {
    const token = await this.accessToken();
    return this.opts.header ? this.opts.header(token) : { Authorization: `Bearer ${token}` };
  }

  async onUnauthorized(): Promise<void> {
    await this.refresh(this.creds?.accessToken ?? null);
  }

  /** A valid access token, refreshed first when missing or about to expire. */
  async accessToken(): Promise<string> {
    if (!this.usable(this.creds)) await this.refresh(null);
    return this.creds!.accessToken!;
  }

  private usable(c: OAuth2Credentials | null, rejected: string | null = null): boolean {
    if (!c?.accessToken || !c.accessTokenExpiresAt || c.accessToken === rejected) return false;
    const skew = this.opts.refreshSkewMs ?? 120_000;
    return Date.parse(c.accessTokenExpiresAt) - skew > this.store.now().getTime();
  }

  /** `rejected`: the access token a 401 refused (never reused), or null for an expiry refresh. */
  private async refresh(rejected: string | null): Promise<void> {
    await this.store.underLock(this.ctx, async (raw) => {
      const stored = asOAuth2Credentials(raw);
      if (!stored) throw new ReconnectRequiredError('the connection has no OAuth2 credentials');
      // Another worker refreshed while we waited: use its token, keep the refresh token unspent.
      if (this.usable(stored, rejected) && stored.accessToken !== this.creds?.accessToken) {
        this.creds = stored;
        return;
      }
      const tokens = await this.client.refresh(stored, stored.refreshToken);
      const next: OAuth2Credentials = {
        ...stored,
        refreshToken: tokens.refreshToken ?? stored.refreshToken,
        accessToken: tokens.accessToken,
        accessTokenExpiresAt: tokens.expiresAt,
      };
      // Persist the rotated refresh token before the new access token is used: if the
      // process dies now, the next run holds the one refresh token that still works. The old
      // one is spent, so a failed save is retried before giving up.
      await saveWithRetry(() => this.ctx.saveCredentials(next));
      this.creds = next;
      this.refreshes++;
      this.ctx.logger.log({ connectionId: this.ctx.connectionId, expiresAt: tokens.expiresAt }, 'access token refreshed');
    });
  }
}

async function saveWithRetry(save: () => Promise<void>, attempts = 3): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      return await save();
    } catch (e) {
      if (i >= attempts) throw e;
    }
  }
}

function asOAuth2Credentials(raw: Record<string, unknown> | null): OAuth2Credentials | null {
  if (!raw) return null;
  const { clientId, clientSecret, refreshToken } = raw;
  if (typeof clientId !== 'string' || typeof clientSecret !== 'string' || typeof refreshToken !== 'string' || !refreshToken) {
    throw new ReconnectRequiredError('stored OAuth2 credentials are incomplete (clientId, clientSecret, refreshToken)');
  }
  return raw as OAuth2Credentials;
}
