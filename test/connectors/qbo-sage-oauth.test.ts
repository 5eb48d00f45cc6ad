import nock from 'nock';
import { SECRET_BOX, type SecretBox } from '../../src/common/crypto/secret-box';
import { bearer, createTenant, startTestApp, type TestApp, type TestTenant } from '../helpers/app';
import { QBO_API, QBO_TOKEN_URL } from '../support/fake-qbo';
import { SAGE_API, SAGE_BUSINESS, SAGE_ORIGIN, SAGE_TOKEN_URL } from '../support/fake-sage';
import { storedCredentials } from '../support/pull-context';

const PUBLIC_URL = 'https://lb.example.com';
const REALM = '9130357992222222';

/** The QuickBooks and Sage consent flows over real HTTP: consent URL, callback, stored tokens. */
jest.setTimeout(60_000);

describe('QuickBooks and Sage authorization (consent flow)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let box: SecretBox;

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    t = await startTestApp({
      env: {
        PUBLIC_URL,
        QBO_API_URL: QBO_API, QBO_OAUTH_URL: QBO_TOKEN_URL, QBO_AUTHORIZE_URL: 'https://appcenter.qbo.test/connect/oauth2', QBO_CLIENT_ID: 'qbo-app', QBO_CLIENT_SECRET: 'qbo-secret',
        SAGE_API_URL: SAGE_API, SAGE_OAUTH_URL: SAGE_TOKEN_URL, SAGE_CLIENT_ID: 'sage-app', SAGE_CLIENT_SECRET: 'sage-secret',
      },
    });
    tenant = await createTenant(t);
    box = t.app.get(SECRET_BOX);
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

  const create = async (provider: string, name: string, settings: object = {}) =>
    (await t.http().post('/v1/connections').set(bearer(tenant.adminKey)).send({ provider, name, settings }).expect(201)).body.id as string;

  it('QuickBooks: the consent URL, then the callback stores the tokens and binds the realmId', async () => {
    const id = await create('quickbooks', 'QBO via consent');
    const res = await t.http().get(`/v1/connections/${id}/quickbooks/authorize`).set(bearer(tenant.adminKey)).expect(200);
    const url = new URL(res.body.url);
    expect(`${url.origin}${url.pathname}`).toBe('https://appcenter.qbo.test/connect/oauth2');
    expect(Object.fromEntries([...url.searchParams].filter(([k]) => k !== 'state'))).toEqual({
      client_id: 'qbo-app', response_type: 'code', scope: 'com.intuit.quickbooks.accounting', redirect_uri: `${PUBLIC_URL}/v1/oauth/quickbooks/callback`,
    });
    expect(res.body.redirectUri).toBe(`${PUBLIC_URL}/v1/oauth/quickbooks/callback`);

    const token = new URL(QBO_TOKEN_URL);
    nock(token.origin)
      .post(token.pathname, (body) => body.grant_type === 'authorization_code' && body.code === 'auth-code-1' && body.redirect_uri === `${PUBLIC_URL}/v1/oauth/quickbooks/callback`)
      .basicAuth({ user: 'qbo-app', pass: 'qbo-secret' })
      .reply(200, { token_type: 'bearer', access_token: 'at-code', refresh_token: 'rt-code', expires_in: 3600, x_refresh_token_expires_in: 8726400 });
    const cb = await t.http().get('/v1/oauth/quickbooks/callback').query({ code: 'auth-code-1', state: url.searchParams.get('state'), realmId: REALM }).expect(200);
    expect(cb.body).toEqual({ connectionId: id, realmId: REALM });

    const conn = (await t.http().get(`/v1/connections/${id}`).set(bearer(tenant.adminKey)).expect(200)).body;
    expect(conn).toMatchObject({ settings: { realmId: REALM, environment: 'production' }, hasCredentials: true, status: 'ok' });
    expect(await storedCredentials(t.ds, box, id)).toEqual({
      clientId: 'qbo-app', clientSecret: 'qbo-secret', refreshToken: 'rt-code', accessToken: 'at-code', accessTokenExpiresAt: '2026-01-15T10:00:00.000Z',
    });
  });

  it('QuickBooks: a tampered state, or a Sage state, is refused', async () => {
    const id = await create('quickbooks', 'QBO tamper');
    const sageId = await create('sage', 'Sage tamper');
    const sageUrl = new URL((await t.http().get(`/v1/connections/${sageId}/sage/authorize`).set(bearer(tenant.adminKey)).expect(200)).body.url);
    const bad = await t.http().get('/v1/oauth/quickbooks/callback').query({ code: 'c', state: sageUrl.searchParams.get('state'), realmId: REALM }).expect(400);
    expect(bad.body.errors).toEqual([{ field: 'state', message: 'not a state issued by this service' }]);
    const qboUrl = new URL((await t.http().get(`/v1/connections/${id}/quickbooks/authorize`).set(bearer(tenant.adminKey)).expect(200)).body.url);
    const state = qboUrl.searchParams.get('state')!;
    await t.http().get('/v1/oauth/quickbooks/callback').query({ code: 'c', state: `${state.slice(0, -4)}AAAA`, realmId: REALM }).expect(400);
    const wrongProvider = await t.http().get(`/v1/connections/${sageId}/quickbooks/authorize`).set(bearer(tenant.adminKey)).expect(400);
    expect(wrongProvider.body.errors).toEqual([{ field: 'provider', message: `connection ${sageId} is a sage connection, not quickbooks` }]);
  });

  it('Sage: the callback stores the tokens and binds the only business', async () => {
    const id = await create('sage', 'Sage via consent');
    const res = await t.http().get(`/v1/connections/${id}/sage/authorize`).set(bearer(tenant.adminKey)).expect(200);
    const url = new URL(res.body.url);
    expect(`${url.origin}${url.pathname}`).toBe('https://www.sageone.com/oauth2/auth/central');
    expect(url.searchParams.get('filter')).toBe('apiv3.1');
    expect(url.searchParams.get('scope')).toBe('full_access');
    expect(url.searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/v1/oauth/sage/callback`);

    const token = new URL(SAGE_TOKEN_URL);
    nock(token.origin)
      .post(token.pathname, (body) => body.grant_type === 'authorization_code' && body.code === 'sage-code' && body.client_id === 'sage-app' && body.client_secret === 'sage-secret')
      .reply(200, { access_token: 'sage-at', refresh_token: 'sage-rt', expires_in: 300, token_type: 'bearer', scope: 'full_access' });
    nock(SAGE_ORIGIN, { reqheaders: { authorization: 'Bearer sage-at' } })
      .get('/v3.1/businesses')
      .reply(200, { $total: 1, $page: 1, $next: null, $back: null, $itemsPerPage: 20, $items: [{ id: SAGE_BUSINESS, displayed_as: 'Volières Martin SARL' }] });
    const cb = await t.http().get('/v1/oauth/sage/callback').query({ code: 'sage-code', state: url.searchParams.get('state'), country: 'gb' }).expect(200);
    expect(cb.body).toEqual({ connectionId: id, businessId: SAGE_BUSINESS, businesses: [{ id: SAGE_BUSINESS, name: 'Volières Martin SARL' }] });
    const conn = (await t.http().get(`/v1/connections/${id}`).set(bearer(tenant.adminKey)).expect(200)).body;
    expect(conn.settings).toEqual({ businessId: SAGE_BUSINESS });
    expect(await storedCredentials(t.ds, box, id)).toMatchObject({ clientId: 'sage-app', refreshToken: 'sage-rt', accessToken: 'sage-at' });
  });

  it('Sage: with several businesses, none is bound and the list is returned for the admin to choose', async () => {
    const id = await create('sage', 'Sage multi');
    const url = new URL((await t.http().get(`/v1/connections/${id}/sage/authorize`).set(bearer(tenant.adminKey)).expect(200)).body.url);
    const token = new URL(SAGE_TOKEN_URL);
    nock(token.origin).post(token.pathname).reply(200, { access_token: 'sage-at2', refresh_token: 'sage-rt2', expires_in: 300 });
    nock(SAGE_ORIGIN).get('/v3.1/businesses').reply(200, {
      $items: [{ id: SAGE_BUSINESS, displayed_as: 'One' }, { id: 'b88ee3a4ebb47c0c515d7ae56dc0bccf', displayed_as: 'Two' }],
    });
    const cb = await t.http().get('/v1/oauth/sage/callback').query({ code: 'c2', state: url.searchParams.get('state') }).expect(200);
    expect(cb.body.businessId).toBeNull();
    expect(cb.body.businesses).toHaveLength(2);
    const conn = (await t.http().get(`/v1/connections/${id}`).set(bearer(tenant.adminKey)).expect(200)).body;
    expect(conn.settings).toEqual({});
  });

  it('without the app credentials in the environment, the consent URL is refused with the variable named', async () => {
    const bare = await startTestApp({ db: t.db });
    try {
      const other = await createTenant(bare, 'Other SAS');
      const id = (await bare.http().post('/v1/connections').set(bearer(other.adminKey)).send({ provider: 'quickbooks', name: 'no app' }).expect(201)).body.id;
      const res = await bare.http().get(`/v1/connections/${id}/quickbooks/authorize`).set(bearer(other.adminKey)).expect(400);
      expect(res.body.errors[0].field).toBe('QBO_CLIENT_ID');
    } finally {
      await bare.close();
    }
  });
});
