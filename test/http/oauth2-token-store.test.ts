import { Logger } from '@nestjs/common';
import nock from 'nock';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SecretBox } from '../../src/common/crypto/secret-box';
import { dataSourceOptions } from '../../src/common/database/data-source';
import { ConnectionCredentialsLock } from '../../src/common/http/connection-credentials-lock';
import { OAuth2Client, ReconnectRequiredError } from '../../src/common/http/oauth2-client';
import { OAuth2TokenStore } from '../../src/common/http/oauth2-token-store';
import { PermanentSyncError } from '../../src/connectors/connector';
import { TestClock } from '../helpers/clock';
import { createTestDatabase, TestDatabase } from '../helpers/db';
import { ClockSleeper } from '../support/clock-sleeper';
import { aSealedConnection, pullContextFor, storedCredentials } from '../support/pull-context';

const IDENTITY = 'https://identity.vendor.test';

describe('OAuth2 token store (real PostgreSQL locks)', () => {
  let db: TestDatabase;
  let ds1: DataSource;
  let ds2: DataSource;
  const box = new SecretBox(randomBytes(32).toString('base64'));
  const clock = new TestClock(new Date('2026-03-05T10:00:00Z'));
  const sleeper = new ClockSleeper(clock);
  Logger.overrideLogger(false);

  const oauthClient = () =>
    new OAuth2Client(
      { tokenUrl: `${IDENTITY}/connect/token`, clientAuth: 'basic' },
      { connectionId: 'c', logger: { warn: () => {} }, clock, sleeper, random: () => 0 },
    );
  const creds = (over: Record<string, unknown> = {}) => ({ clientId: 'cid', clientSecret: 'csecret', refreshToken: 'R1', ...over });

  beforeAll(async () => {
    nock.disableNetConnect();
    db = await createTestDatabase();
    // Two data sources = two replicas: only the database lock stands between them.
    ds1 = await new DataSource(dataSourceOptions(db.url, 3)).initialize();
    ds2 = await new DataSource(dataSourceOptions(db.url, 3)).initialize();
  });
  afterAll(async () => {
    await ds1.destroy();
    await ds2.destroy();
    await db.drop();
    nock.enableNetConnect();
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
  });

  it('refreshes an expired token, persists the rotated refresh token before using the new access token', async () => {
    const ids = await aSealedConnection(ds1, box, { provider: 'x', credentials: creds({ accessToken: 'A0', accessTokenExpiresAt: '2026-03-05T09:00:00Z' }) });
    const store = new OAuth2TokenStore(new ConnectionCredentialsLock(ds1, box), clock);
    const ctx = await pullContextFor(ds1, box, ids, clock);
    let storedAtApiCall: Record<string, unknown> | null = null;
    nock(IDENTITY)
      .post('/connect/token', 'grant_type=refresh_token&refresh_token=R1')
      .basicAuth({ user: 'cid', pass: 'csecret' })
      .reply(200, { access_token: 'A1', refresh_token: 'R2', expires_in: 1800, token_type: 'Bearer' });
    const session = store.session(ctx, oauthClient());
    const headers = await session.headers();
    storedAtApiCall = await storedCredentials(ds1, box, ids.connectionId);
    expect(headers).toEqual({ Authorization: 'Bearer A1' });
    expect(storedAtApiCall).toEqual(creds({ refreshToken: 'R2', accessToken: 'A1', accessTokenExpiresAt: '2026-03-05T10:30:00.000Z' }));
    // Still valid: no second refresh.
    expect(await session.headers()).toEqual({ Authorization: 'Bearer A1' });
    expect(session.refreshes).toBe(1);
  });

  it('two concurrent refreshes (two replicas) spend the refresh token once', async () => {
    const ids = await aSealedConnection(ds1, box, { provider: 'x', credentials: creds({ accessToken: 'A0', accessTokenExpiresAt: '2026-03-05T10:30:00Z' }) });
    const store1 = new OAuth2TokenStore(new ConnectionCredentialsLock(ds1, box), clock);
    const store2 = new OAuth2TokenStore(new ConnectionCredentialsLock(ds2, box), clock);
    const ctx1 = await pullContextFor(ds1, box, ids, clock);
    const ctx2 = await pullContextFor(ds2, box, ids, clock);
    const tokenCall = nock(IDENTITY)
      .post('/connect/token', 'grant_type=refresh_token&refresh_token=R1')
      .delay(200)
      .reply(200, { access_token: 'A1', refresh_token: 'R2', expires_in: 1800 });
    // Both workers had their A0 refused (e.g. revoked), and both ask for a refresh at once.
    const s1 = store1.session(ctx1, oauthClient());
    const s2 = store2.session(ctx2, oauthClient());
    await Promise.all([s1.onUnauthorized(), s2.onUnauthorized()]);
    expect(tokenCall.isDone()).toBe(true);
    expect([await s1.headers(), await s2.headers()]).toEqual([{ Authorization: 'Bearer A1' }, { Authorization: 'Bearer A1' }]);
    expect(s1.refreshes + s2.refreshes).toBe(1);
    expect([...ctx1.saved, ...ctx2.saved].map((c) => c.refreshToken)).toEqual(['R2']);
    expect((await storedCredentials(ds1, box, ids.connectionId))?.refreshToken).toBe('R2');
  });

  it('invalid_grant means reconnect required, and nothing is retried or saved', async () => {
    const ids = await aSealedConnection(ds1, box, { provider: 'x', credentials: creds() });
    const store = new OAuth2TokenStore(new ConnectionCredentialsLock(ds1, box), clock);
    const ctx = await pullContextFor(ds1, box, ids, clock);
    nock(IDENTITY).post('/connect/token').once().reply(400, { error: 'invalid_grant' });
    const err = await store.session(ctx, oauthClient()).headers().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReconnectRequiredError);
    expect(err).toBeInstanceOf(PermanentSyncError);
    expect((err as Error).message).toBe('reconnect required: the authorization was refused by the provider (invalid_grant)');
    expect(ctx.saved).toEqual([]);
  });

  it('retries a failed save of the rotated refresh token (the old one is already spent)', async () => {
    const ids = await aSealedConnection(ds1, box, { provider: 'x', credentials: creds() });
    const store = new OAuth2TokenStore(new ConnectionCredentialsLock(ds1, box), clock);
    const ctx = await pullContextFor(ds1, box, ids, clock);
    const save = ctx.saveCredentials;
    let failures = 1;
    const flaky = { ...ctx, saveCredentials: async (c: Record<string, unknown>) => (failures-- > 0 ? Promise.reject(new Error('connection reset')) : save(c)) };
    nock(IDENTITY).post('/connect/token').once().reply(200, { access_token: 'A1', refresh_token: 'R2', expires_in: 1800 });
    expect(await store.session(flaky, oauthClient()).headers()).toEqual({ Authorization: 'Bearer A1' });
    expect((await storedCredentials(ds1, box, ids.connectionId))?.refreshToken).toBe('R2');
  });

  it('exchanges an authorization code', async () => {
    nock(IDENTITY)
      .post('/connect/token', 'grant_type=authorization_code&code=abc&redirect_uri=https%3A%2F%2Flb.test%2Fv1%2Foauth%2Fcallback')
      .reply(200, { access_token: 'A9', refresh_token: 'R9', expires_in: 1800, scope: 'offline_access' });
    const t = await oauthClient().exchangeCode({ clientId: 'cid', clientSecret: 'csecret' }, 'abc', 'https://lb.test/v1/oauth/callback');
    expect(t).toEqual({ accessToken: 'A9', refreshToken: 'R9', expiresAt: clock.now().toISOString().replace('10:00:00', '10:30:00'), scope: 'offline_access' });
  });
});
