import { DEFAULT_RETRY_POLICY, isRetryableStatus, parseRetryAfter, retryDelayMs } from './retry-policy';

describe('retry policy', () => {
  const now = new Date('2026-03-05T10:00:00Z');

  it('retries throttling and server errors only', () => {
    expect([429, 500, 502, 503, 504, 408].map(isRetryableStatus)).toEqual([true, true, true, true, true, true]);
    expect([400, 401, 403, 404, 409, 422].map(isRetryableStatus)).toEqual([false, false, false, false, false, false]);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter(['3'], now)).toBe(3000);
    expect(parseRetryAfter('Thu, 05 Mar 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Thu, 05 Mar 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(undefined, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
  });

  it('backs off exponentially with equal jitter, capped, and honours Retry-After exactly', () => {
    const p = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1000, maxDelayMs: 8000 };
    expect([1, 2, 3, 4, 5].map((a) => retryDelayMs(p, a, null, () => 0))).toEqual([500, 1000, 2000, 4000, 4000]);
    expect([1, 2, 3, 4, 5].map((a) => retryDelayMs(p, a, null, () => 0.999999))).toEqual([1000, 2000, 4000, 8000, 8000]);
    expect(retryDelayMs(p, 3, 12_000, () => 0.5)).toBe(12_000);
  });
});
