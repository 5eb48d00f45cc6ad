import nock from 'nock';
import { bearer, createTenant, startTestApp, type TestApp, type TestTenant } from '../helpers/app';
import { TestClock } from '../helpers/clock';
import { XERO_API_ORIGIN, XERO_ENV, XERO_IDENTITY_ORIGIN } from '../support/fake-xero';
import { officialXero, XERO_TENANT } from '../support/xero-fixtures';

const REDIRECT = 'https://lb.test/v1/oauth/callback';

describe('Xero consent flow (real HTTP)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  const clock = new TestClock(new Date('2026-03-05T10:00:00Z'));

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    t = await startTestApp({ clock, env: { ...XERO_ENV, XERO_CLIENT_ID: 'client-id', XERO_CLIENT_SECRET: 'client-secret', PUBLIC_URL: 'https://lb.test' } });
    tenant = await createTenant(t);
  });
  afterAll(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await t.close();
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
  });

  async function newConnection(name: string): Promise<string> {
    const res = await t.http().post('/v1/connections').set(bearer(tenant.adminKey)).send({ provider: 'xero', name, schedule: { cron: '0 * * * *', timezone: 'UTC' } });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  async function consentState(id: string, query = ''): Promise<URL> {
    const res = await t.http().get(`/v1/connections/${id}/oauth/authorize${query}`).set(bearer(tenant.adminKey));
    expect(res.status).toBe(200);
    return new URL(res.body.url);
  }

  it('answers the consent URL, then the callback exchanges the code and binds the organisation', async () => {
    const id = await newConnection('Xero NZ');
    const url = await consentState(id);
    expect(url.origin + url.pathname).toBe('https://login.xero.test/identity/connect/authorize');
    expect(Object.fromEntries([...url.searchParams].filter(([k]) => k !== 'state'))).toEqual({
      response_type: 'code',
      client_id: 'client-id',
      redirect_uri: REDIRECT,
      scope: 'offline_access accounting.transactions accounting.contacts accounting.settings',
    });

    nock(XERO_IDENTITY_ORIGIN)
      .post('/connect/token', `grant_type=authorization_code&code=abc123&redirect_uri=${encodeURIComponent(REDIRECT)}`)
      .basicAuth({ user: 'client-id', pass: 'client-secret' })
      .reply(200, { id_token: 'x', access_token: 'at-new', expires_in: 1800, token_type: 'Bearer', refresh_token: 'rt-new', scope: 'offline_access accounting.transactions' });
    nock(XERO_API_ORIGIN).get('/connections').matchHeader('authorization', 'Bearer at-new').reply(200, officialXero('connections'));

    const cb = await t.http().get('/v1/oauth/callback').query({ code: 'abc123', state: url.searchParams.get('state') });
    expect(cb.status).toBe(200);
    expect(cb.body).toEqual({
      connectionId: id,
      tenantId: XERO_TENANT,
      tenantName: 'Demo Company (NZ)',
      organisations: [{ tenantId: XERO_TENANT, tenantName: 'Demo Company (NZ)', tenantType: 'ORGANISATION' }],
    });
    const conn = await t.http().get(`/v1/connections/${id}`).set(bearer(tenant.adminKey));
    expect(conn.body).toMatchObject({ settings: { tenantId: XERO_TENANT, tenantName: 'Demo Company (NZ)' }, hasCredentials: true, status: 'ok' });
    expect(JSON.stringify(conn.body)).not.toContain('rt-new');
  });

  it('with several organisations authorised, binds the one asked for', async () => {
    const id = await newConnection('Xero group');
    const other = '3f1a6b1e-0000-4000-8000-00000000abcd';
    const url = await consentState(id, `?xeroTenantId=${other}`);
    nock(XERO_IDENTITY_ORIGIN).post('/connect/token').reply(200, { access_token: 'at-2', expires_in: 1800, refresh_token: 'rt-2' });
    const orgs = [...officialXero<unknown[]>('connections'), { id: 'c2', tenantId: other, tenantName: 'Demo Company (UK)', tenantType: 'ORGANISATION' }];
    nock(XERO_API_ORIGIN).get('/connections').reply(200, orgs);
    const cb = await t.http().get('/v1/oauth/callback').query({ code: 'c', state: url.searchParams.get('state') });
    expect([cb.status, cb.body.tenantId, cb.body.tenantName, cb.body.organisations.length]).toEqual([200, other, 'Demo Company (UK)', 2]);
  });

  it('refuses a tampered or expired state, a code Xero refuses, and non-admin keys', async () => {
    const id = await newConnection('Xero refusals');
    const viewer = await tenant.key('viewer');
    expect((await t.http().get(`/v1/connections/${id}/oauth/authorize`).set(bearer(viewer))).status).toBe(403);

    const state = (await consentState(id)).searchParams.get('state')!;
    // One character of the sealed text changed (to another one: the state is random, so a fixed replacement could be the same).
    const at = state.length >> 1;
    const tampered = state.slice(0, at) + (state[at] === 'A' ? 'B' : 'A') + state.slice(at + 1);
    const bad = await t.http().get('/v1/oauth/callback').query({ code: 'c', state: tampered });
    expect([bad.status, bad.body.errors]).toEqual([400, [{ field: 'state', message: 'not a state issued by this service' }]]);

    nock(XERO_IDENTITY_ORIGIN).post('/connect/token').reply(400, { error: 'invalid_grant' });
    const refused = await t.http().get('/v1/oauth/callback').query({ code: 'used-twice', state });
    expect([refused.status, refused.body.errors[0].field]).toEqual([400, 'code']);

    clock.set('2026-03-05T10:16:00Z');
    const expired = await t.http().get('/v1/oauth/callback').query({ code: 'c', state });
    expect([expired.status, expired.body.errors]).toEqual([400, [{ field: 'state', message: 'expired: start the authorization again' }]]);
    clock.set('2026-03-05T10:00:00Z');
  });

  it('also takes credentials directly on POST /v1/connections, validated', async () => {
    const ok = await t.http().post('/v1/connections').set(bearer(tenant.adminKey)).send({
      provider: 'xero', name: 'Migrated', settings: { tenantId: XERO_TENANT }, credentials: { clientId: 'cid', clientSecret: 'cs', refreshToken: 'rt' },
    });
    expect([ok.status, ok.body.hasCredentials, ok.body.settings]).toEqual([201, true, { tenantId: XERO_TENANT }]);
    const bad = await t.http().post('/v1/connections').set(bearer(tenant.adminKey)).send({
      provider: 'xero', name: 'Broken', settings: { tenantId: 'not-a-uuid' }, credentials: { clientId: 'cid' },
    });
    expect(bad.status).toBe(400);
    expect([...new Set(bad.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual(['credentials.clientSecret', 'credentials.refreshToken', 'settings.tenantId']);
  });
});
