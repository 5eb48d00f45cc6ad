import nock from 'nock';

/**
 * A vendor-neutral description of an accounting company's receivables, which each fake
 * vendor (nock) renders in its own documented JSON. Tests mutate it between pulls.
 * Amounts are decimal strings in the record's currency; times are ISO date-times.
 */
export interface SourceCustomer { id: string; name: string; currency: string; email?: string; updatedAt: string }
export interface SourceInvoice {
  id: string; customerId: string; number: string; issueDate: string; dueDate: string; currency: string;
  total: string; balance: string; rate?: string; updatedAt: string; note?: string; syncToken?: number;
  /** Rendered with an unreadable amount. */
  malformed?: boolean;
}
export interface SourceCreditNote { id: string; customerId: string; number: string; issueDate: string; currency: string; total: string; balance: string; updatedAt: string }
export interface SourcePaymentLine { kind: 'invoice' | 'credit_note'; id: string; amount: string }
export interface SourcePayment { id: string; customerId: string; date: string; currency: string; amount: string; reference?: string; lines: SourcePaymentLine[]; updatedAt: string; voided?: boolean }
export interface SourceDeletion { kind: 'invoice' | 'credit_note' | 'payment'; id: string; at: string }

export interface SourceState {
  customers: SourceCustomer[];
  invoices: SourceInvoice[];
  creditNotes: SourceCreditNote[];
  payments: SourcePayment[];
  deleted: SourceDeletion[];
}

export const emptySource = (): SourceState => ({ customers: [], invoices: [], creditNotes: [], payments: [], deleted: [] });

/** Removes a record from the source and records its deletion. */
export function deleteFromSource(s: SourceState, kind: SourceDeletion['kind'], id: string, at: string): void {
  const list = kind === 'invoice' ? s.invoices : kind === 'credit_note' ? s.creditNotes : s.payments;
  const i = list.findIndex((r) => r.id === id);
  if (i < 0) throw new Error(`no ${kind} ${id} in the source`);
  list.splice(i, 1);
  s.deleted.push({ kind, id, at });
}

export const byUpdated = <T extends { updatedAt: string; id: string }>(a: T, b: T) =>
  Date.parse(a.updatedAt) - Date.parse(b.updatedAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** A one-shot failure the fake vendor answers to the next API call (not token calls). */
export interface InjectedFailure { status: number; body?: unknown; headers?: Record<string, string> }

/**
 * A fake OAuth2 authorization server with rotating refresh tokens: each refresh spends the
 * refresh token (a second use answers `invalid_grant`) and issues a new pair. The API side
 * accepts only the latest access token.
 */
export class FakeAuthServer {
  refreshToken = 'rt-0';
  accessToken = 'at-0';
  refreshes = 0;
  /** Answer `invalid_grant` to every refresh (revoked authorization). */
  revoked = false;

  constructor(
    readonly tokenUrl: string,
    private readonly expiresIn: number,
    private readonly clientAuth: 'basic' | 'body',
  ) {}

  install(): void {
    const u = new URL(this.tokenUrl);
    const self = this;
    nock(u.origin)
      .persist()
      .post(u.pathname)
      .reply(function (_uri, body) {
        const form = new URLSearchParams(typeof body === 'string' ? body : '');
        const basic = String(this.req.headers.authorization ?? '');
        const clientOk = self.clientAuth === 'basic' ? basic === `Basic ${Buffer.from('client-id:client-secret').toString('base64')}` : form.get('client_id') === 'client-id' && form.get('client_secret') === 'client-secret';
        if (!clientOk) return [401, { error: 'invalid_client' }];
        if (form.get('grant_type') !== 'refresh_token') return [400, { error: 'unsupported_grant_type' }];
        if (self.revoked || form.get('refresh_token') !== self.refreshToken) return [400, { error: 'invalid_grant' }];
        self.refreshes++;
        self.refreshToken = `rt-${self.refreshes}`;
        self.accessToken = `at-${self.refreshes}`;
        return [200, { token_type: 'bearer', access_token: self.accessToken, refresh_token: self.refreshToken, expires_in: self.expiresIn }];
      });
  }

  authorized(header: unknown): boolean {
    return header === `Bearer ${this.accessToken}`;
  }
}

/** Stored credentials of a connection whose access token has expired: the first call refreshes. */
export const expiredCredentials = () => ({
  clientId: 'client-id',
  clientSecret: 'client-secret',
  refreshToken: 'rt-0',
  accessToken: 'at-0',
  accessTokenExpiresAt: '2000-01-01T00:00:00.000Z',
});
