import axios, { AxiosInstance, AxiosRequestConfig, AxiosResponse, isAxiosError } from 'axios';
import type { Clock } from '../clock';
import { PermanentSyncError, SourcePausedError, TransientSyncError } from '../../connectors/connector';
import { describeBody, HttpStatusError } from './http-errors';
import type { RateBudget } from './rate-budget';
import { DEFAULT_RETRY_POLICY, isRetryableStatus, parseRetryAfter, RetryPolicy, retryDelayMs } from './retry-policy';
import type { Sleeper } from './sleeper';

/** The logger shape the client needs (Nest's Logger fits). */
export interface HttpLogger {
  warn(message: unknown, ...rest: unknown[]): void;
  debug?(message: unknown, ...rest: unknown[]): void;
}

/** Supplies request credentials; the OAuth2 session is one. */
export interface RequestAuth {
  /** Headers to send (e.g. `Authorization`); may refresh an expiring token first. */
  headers(): Promise<Record<string, string>>;
  /** The vendor answered 401 to a request sent with `used`: get fresh credentials (once). */
  onUnauthorized(used: Record<string, string>): Promise<void>;
}

export interface ApiClientOptions {
  baseURL: string;
  /** For logs; never a secret. */
  connectionId: string;
  logger: HttpLogger;
  clock: Clock;
  sleeper: Sleeper;
  budget?: RateBudget;
  auth?: RequestAuth;
  retry?: Partial<RetryPolicy>;
  /** Headers sent with every request (e.g. a tenant header). */
  headers?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Jitter source, [0, 1). */
  random?: () => number;
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_NETWORK', 'ENETUNREACH', 'EHOSTUNREACH']);

/**
 * One vendor HTTP client per connection: one retry policy (429/5xx/network with exponential
 * backoff and jitter, honouring `Retry-After`; other 4xx never retried; capped in attempts and
 * total time), the connection's rate budget, and one token refresh after a 401. Every retry is
 * logged with its reason, never with headers or bodies.
 */
export class ApiClient {
  private readonly http: AxiosInstance;
  private readonly policy: RetryPolicy;
  /** Requests sent (retries and refresh replays included): reported in run details. */
  calls = 0;

  constructor(private readonly opts: ApiClientOptions) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...opts.retry };
    this.http = axios.create({
      baseURL: opts.baseURL,
      timeout: opts.timeoutMs ?? 60_000,
      headers: { Accept: 'application/json', ...opts.headers },
      validateStatus: () => true,
      // Redirects are not followed with credentials to another host.
      maxRedirects: 0,
    });
  }

  async get<T>(path: string, config: AxiosRequestConfig = {}): Promise<AxiosResponse<T>> {
    return this.request<T>({ ...config, method: 'GET', url: path });
  }

  async request<T>(config: AxiosRequestConfig & { url: string; method: string }): Promise<AxiosResponse<T>> {
    const startedAt = this.opts.clock.now().getTime();
    const random = this.opts.random ?? Math.random;
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      this.opts.signal?.throwIfAborted();
      const release = this.opts.budget ? await this.opts.budget.acquire(this.opts.signal) : () => {};
      let res: AxiosResponse<T> | undefined;
      let networkError: string | undefined;
      let authHeaders: Record<string, string> = {};
      try {
        authHeaders = this.opts.auth ? await this.opts.auth.headers() : {};
        this.calls++;
        res = await this.http.request<T>({ ...config, headers: { ...config.headers, ...authHeaders }, signal: this.opts.signal });
      } catch (e) {
        networkError = this.networkReason(e);
        if (!networkError) throw e;
      } finally {
        release();
      }
      if (res) {
        this.opts.budget?.observe(res.headers as Record<string, unknown>);
        // 304: nothing changed since `If-Modified-Since`; the caller reads an empty body.
        if ((res.status >= 200 && res.status < 300) || res.status === 304) return res;
        if (res.status === 401 && this.opts.auth) {
          if (refreshed) {
            throw new PermanentSyncError(`${config.method} ${config.url}: still unauthorized after a token refresh: reconnect required`);
          }
          refreshed = true;
          await this.opts.auth.onUnauthorized(authHeaders);
          attempt--; // the replay after a refresh is not a retry
          continue;
        }
        if (res.status === 429 && this.opts.budget?.isDailyLimit(res.headers as Record<string, unknown>)) {
          const waitMs = parseRetryAfter(res.headers['retry-after'], this.opts.clock.now()) ?? 60 * 60_000;
          const until = new Date(this.opts.clock.now().getTime() + waitMs);
          this.opts.budget.pause(until);
          throw new SourcePausedError(`daily API limit reached; calls resume at ${until.toISOString()}`, until);
        }
        if (!isRetryableStatus(res.status)) throw new HttpStatusError(config.method, config.url, res.status, res.data);
      }
      const retryAfterMs = res ? parseRetryAfter(res.headers['retry-after'], this.opts.clock.now()) : null;
      const reason = res ? `status ${res.status}${describeBody(res.data)}` : networkError!;
      const delayMs = retryDelayMs(this.policy, attempt, retryAfterMs, random);
      const elapsed = this.opts.clock.now().getTime() - startedAt;
      if (attempt >= this.policy.maxAttempts || elapsed + delayMs > this.policy.maxTotalMs) {
        throw new TransientSyncError(`${config.method} ${config.url} failed after ${attempt} attempt(s): ${reason}`, retryAfterMs ?? undefined);
      }
      this.opts.logger.warn(
        { connectionId: this.opts.connectionId, method: config.method, path: config.url, attempt, delayMs, reason },
        'vendor call failed; retrying',
      );
      await this.opts.sleeper.sleep(delayMs, this.opts.signal);
    }
  }

  /** A short reason when `e` is a network-level failure worth retrying; undefined otherwise. */
  private networkReason(e: unknown): string | undefined {
    if (this.opts.signal?.aborted) return undefined;
    if (isAxiosError(e)) {
      if (e.response) return undefined;
      return `network error ${e.code ?? ''}`.trim();
    }
    const code = (e as { code?: string } | null)?.code;
    return code && NETWORK_CODES.has(code) ? `network error ${code}` : undefined;
  }
}
