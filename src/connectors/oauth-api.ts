import { ApiClient } from '../common/http/api-client';
import { OAuth2Client, type OAuth2Endpoint } from '../common/http/oauth2-client';
import type { OAuth2Session, OAuth2TokenStore } from '../common/http/oauth2-token-store';
import type { RateBudgets, RateLimits } from '../common/http/rate-budget';
import type { Sleeper } from '../common/http/sleeper';
import type { LedgerEntity, PullContext } from './connector';

export interface OAuthApiDeps {
  tokens: OAuth2TokenStore;
  budgets: RateBudgets;
  sleeper: Sleeper;
}

export interface OAuthApi {
  api: ApiClient;
  session: OAuth2Session;
}

/**
 * The HTTP client of one pull or write-back of an OAuth2 API connection: the shared retry
 * policy, the connection's rate budget and an OAuth2 session on the shared token store.
 */
export function openOAuthApi(
  deps: OAuthApiDeps,
  ctx: PullContext,
  opts: { baseURL: string; token: OAuth2Endpoint; limits: RateLimits; headers?: Record<string, string> },
): OAuthApi {
  const common = { connectionId: ctx.connectionId, logger: ctx.logger, clock: ctx.clock, sleeper: deps.sleeper, signal: ctx.signal };
  const session = deps.tokens.session(ctx, new OAuth2Client(opts.token, common));
  const api = new ApiClient({
    ...common,
    baseURL: opts.baseURL,
    budget: deps.budgets.for(ctx.connectionId, opts.limits),
    auth: session,
    headers: opts.headers,
  });
  return { api, session };
}

