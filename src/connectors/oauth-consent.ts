import { randomBytes } from 'node:crypto';
import type { Clock } from '../common/clock';
import type { SecretBox } from '../common/crypto/secret-box';
import { ValidationError } from '../common/errors';

/** What the `state` of a consent URL carries, sealed with the master key. */
export interface ConsentState {
  tenantId: string;
  connectionId: string;
  expiresAt: number;
  nonce: string;
  /** Provider-specific choices made when the flow started (e.g. which organisation to bind). */
  extra?: Record<string, string>;
}

const STATE_TTL_MS = 15 * 60_000;

/**
 * The `state` of an OAuth2 authorization-code flow: sealed with the master key (AES-256-GCM,
 * associated data naming the provider: a state cannot be replayed for another provider or as
 * any other secret), bound to the tenant and connection, expiring after 15 minutes.
 */
export class ConsentStates {
  constructor(
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly provider: string,
  ) {}

  private get aad(): string {
    return `oauth-state:${this.provider}`;
  }

  seal(tenantId: string, connectionId: string, extra?: Record<string, string>): { state: string; expiresAt: string } {
    const expiresAt = this.clock.now().getTime() + STATE_TTL_MS;
    const state: ConsentState = { tenantId, connectionId, expiresAt, nonce: randomBytes(9).toString('base64url'), ...(extra ? { extra } : {}) };
    return { state: this.box.sealJson(state, this.aad), expiresAt: new Date(expiresAt).toISOString() };
  }

  open(text: string | undefined): ConsentState {
    if (!text) throw new ValidationError([{ field: 'state', message: 'missing' }]);
    let state: ConsentState;
    try {
      state = this.box.openJson<ConsentState>(text, this.aad);
    } catch {
      throw new ValidationError([{ field: 'state', message: 'not a state issued by this service' }]);
    }
    if (state.expiresAt < this.clock.now().getTime()) throw new ValidationError([{ field: 'state', message: 'expired: start the authorization again' }]);
    return state;
  }
}

/** The callback URL registered with a vendor for `provider`. */
export function consentRedirectUri(publicUrl: string, provider: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/v1/oauth/${provider}/callback`;
}

/** The app credentials a consent flow needs from the environment. */
export function consentApp(app: { clientId?: string; clientSecret?: string }, envPrefix: string): { clientId: string; clientSecret: string } {
  if (!app.clientId || !app.clientSecret) {
    throw new ValidationError([
      { field: `${envPrefix}_CLIENT_ID`, message: `the consent flow needs ${envPrefix}_CLIENT_ID and ${envPrefix}_CLIENT_SECRET; or give credentials on the connection` },
    ]);
  }
  return { clientId: app.clientId, clientSecret: app.clientSecret };
}
