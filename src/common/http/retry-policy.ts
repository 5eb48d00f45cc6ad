/** How failed vendor calls are retried: 429, 5xx and network errors only. */
export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  /** No retry starts once this much time has passed since the first attempt. */
  maxTotalMs: number;
  /** First backoff; doubled at each attempt, capped by `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  maxTotalMs: 5 * 60_000,
  baseDelayMs: 500,
  maxDelayMs: 60_000,
};

/** Statuses worth retrying: throttling and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || (status >= 500 && status <= 599);
}

/**
 * Backoff before attempt `attempt + 1` (attempt counts from 1): `Retry-After` when the vendor
 * gave one, else exponential with "equal jitter" (half fixed, half random) so that parallel
 * workers do not retry in lockstep.
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number, retryAfterMs: number | null, random: () => number): number {
  if (retryAfterMs !== null) return Math.max(0, retryAfterMs);
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exp / 2 + (exp / 2) * random());
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: unknown, now: Date): number | null {
  if (Array.isArray(value)) value = value[0];
  if (typeof value === 'number') return Math.max(0, value * 1000);
  if (typeof value !== 'string' || value.trim() === '') return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}
