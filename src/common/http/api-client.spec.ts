import nock from 'nock';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TestClock } from '../../../test/helpers/clock';
import { ClockSleeper } from '../../../test/support/clock-sleeper';
import { PermanentSyncError, SourcePausedError, TransientSyncError } from '../../connectors/connector';
import { ApiClient, ApiClientOptions, RequestAuth } from './api-client';
import { HttpStatusError } from './http-errors';
import { RateBudget } from './rate-budget';

const BASE = 'https://api.vendor.test';

describe('ApiClient', () => {
  let clock: TestClock;
  let sleeper: ClockSleeper;
  let warnings: Array<Record<string, unknown>>;

  const client = (over: Partial<ApiClientOptions> = {}) =>
    new ApiClient({
      baseURL: BASE,
      connectionId: 'conn-1',
      logger: { warn: (m: unknown) => warnings.push(m as Record<string, unknown>) },
      clock,
      sleeper,
      random: () => 0,
      retry: { baseDelayMs: 1000 },
      ...over,
    });

  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());
  beforeEach(() => {
    clock = new TestClock(new Date('2026-03-05T10:00:00Z'));
    sleeper = new ClockSleeper(clock);
    warnings = [];
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
  });

  it('waits Retry-After on 429 and then succeeds', async () => {
    nock(BASE).get('/things').reply(429, '', { 'Retry-After': '7', 'X-Rate-Limit-Problem': 'minute' });
    nock(BASE).get('/things').reply(200, { ok: 1 });
    const c = client();
    const res = await c.get<{ ok: number }>('/things');
    expect(res.data).toEqual({ ok: 1 });
    expect(sleeper.waits).toEqual([7000]);
    expect(c.calls).toBe(2);
    expect(warnings).toEqual([
      { connectionId: 'conn-1', method: 'GET', path: '/things', attempt: 1, delayMs: 7000, reason: 'status 429' },
    ]);
  });

  it('retries 5xx and network errors with exponential backoff, then gives up as transient', async () => {
    // A real local server: a reset connection is a real network error.
    const script: Array<(res: http.ServerResponse) => void> = [
      (res) => res.writeHead(503, { 'Content-Type': 'application/json' }).end(JSON.stringify({ Message: 'maintenance' })),
      (res) => res.socket?.destroy(),
      (res) => res.writeHead(500).end(),
    ];
    const server = http.createServer((_req, res) => script.shift()!(res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    nock.enableNetConnect('127.0.0.1');
    try {
      const { port } = server.address() as AddressInfo;
      const c = client({ baseURL: `http://127.0.0.1:${port}`, retry: { baseDelayMs: 1000, maxAttempts: 3 } });
      const err = await c.get('/x').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransientSyncError);
      expect((err as Error).message).toBe('GET /x failed after 3 attempt(s): status 500');
      expect(sleeper.waits).toEqual([500, 1000]);
      expect(warnings.map((w) => w.reason)).toEqual(['status 503: maintenance', 'network error ECONNRESET']);
      expect(script).toEqual([]);
    } finally {
      nock.disableNetConnect();
      await new Promise((r) => server.close(r));
    }
  });

  it('stops retrying when the total time cap would be exceeded', async () => {
    nock(BASE).get('/slow').reply(429, '', { 'Retry-After': '600' });
    const err = await client({ retry: { maxTotalMs: 60_000 } }).get('/slow').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientSyncError);
    expect((err as TransientSyncError).retryAfterMs).toBe(600_000);
    expect(sleeper.waits).toEqual([]);
  });

  it('never retries other 4xx', async () => {
    nock(BASE).get('/bad').reply(400, {
      ErrorNumber: 10, Type: 'ValidationException', Message: 'A validation exception occurred',
      Elements: [{ ValidationErrors: [{ Message: 'Invoice not of valid status for modification' }] }],
    });
    const err = await client().get('/bad').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpStatusError);
    expect(err).toBeInstanceOf(PermanentSyncError);
    expect((err as HttpStatusError).status).toBe(400);
    expect((err as Error).message).toBe('GET /bad answered 400: ValidationException — A validation exception occurred — Invoice not of valid status for modification');
    expect(sleeper.waits).toEqual([]);
  });

  it('refreshes once after a 401 and replays the request', async () => {
    let token = 'old';
    const used: string[] = [];
    const auth: RequestAuth = {
      headers: async () => ({ Authorization: `Bearer ${token}` }),
      onUnauthorized: async (h) => {
        used.push(h.Authorization);
        token = 'new';
      },
    };
    nock(BASE).get('/me').matchHeader('authorization', 'Bearer old').reply(401, { Title: 'Unauthorized' });
    nock(BASE).get('/me').matchHeader('authorization', 'Bearer new').reply(200, { me: true });
    const res = await client({ auth }).get('/me');
    expect(res.data).toEqual({ me: true });
    expect(used).toEqual(['Bearer old']);
    expect(sleeper.waits).toEqual([]);
  });

  it('a second 401 after the refresh means reconnect, not a loop', async () => {
    const auth: RequestAuth = { headers: async () => ({ Authorization: 'Bearer t' }), onUnauthorized: async () => {} };
    nock(BASE).get('/me').times(2).reply(401);
    const err = await client({ auth }).get('/me').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentSyncError);
    expect((err as Error).message).toBe('GET /me: still unauthorized after a token refresh: reconnect required');
  });

  it('a 429 on the daily limit pauses until Retry-After, and later calls pause without calling', async () => {
    const budget = new RateBudget(
      { perMinute: 60, concurrent: 5, headers: { problem: 'x-rate-limit-problem', dailyProblemValue: 'day', dayRemaining: 'x-daylimit-remaining' } },
      clock,
      sleeper,
    );
    nock(BASE).get('/d').reply(429, '', { 'Retry-After': '3600', 'X-Rate-Limit-Problem': 'day', 'X-DayLimit-Remaining': '0' });
    const c = client({ budget });
    const err = await c.get('/d').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourcePausedError);
    expect((err as SourcePausedError).until.toISOString()).toBe('2026-03-05T11:00:00.000Z');
    const again = await c.get('/d').catch((e: unknown) => e);
    expect(again).toBeInstanceOf(SourcePausedError);
    expect(c.calls).toBe(1);
  });
});
