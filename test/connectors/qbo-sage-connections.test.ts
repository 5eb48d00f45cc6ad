import { bearer, createTenant, startTestApp, type TestApp, type TestTenant } from '../helpers/app';

/** QuickBooks and Sage connections through the HTTP API: providers, settings and credentials validation. */
jest.setTimeout(60_000);

describe('QuickBooks and Sage connections through the API', () => {
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createTenant(t);
  });

  afterAll(() => t.close());

  it('lists both providers as OAuth2 providers with write-back', async () => {
    const res = await t.http().get('/v1/providers').set(bearer(tenant.adminKey)).expect(200);
    const list = (Array.isArray(res.body) ? res.body : res.body.items) as Array<Record<string, unknown>>;
    const byId = Object.fromEntries(list.map((p) => [p.id, p]));
    expect(byId.quickbooks).toMatchObject({ id: 'quickbooks', displayName: 'QuickBooks Online', auth: 'oauth2', writeBack: true, mode: 'incremental' });
    expect(byId.sage).toMatchObject({ id: 'sage', displayName: 'Sage Business Cloud Accounting', auth: 'oauth2', writeBack: true, mode: 'incremental' });
  });

  it('validates settings and credentials per provider', async () => {
    const qbo = await t.http().post('/v1/connections').set(bearer(tenant.adminKey))
      .send({ provider: 'quickbooks', name: 'QBO bad', settings: { realmId: 'abc', environment: 'staging' }, credentials: { clientId: 'x' } })
      .expect(400);
    expect(qbo.headers['content-type']).toMatch(/application\/problem\+json/);
    const fields = (qbo.body.errors as Array<{ field: string }>).map((e) => e.field).sort();
    expect(fields).toEqual(['credentials.clientSecret', 'credentials.refreshToken', 'settings.environment', 'settings.realmId']);
    expect(qbo.body.errors.find((e: { field: string }) => e.field === 'settings.realmId').message).toBe('realmId must be the numeric QuickBooks company id');

    const sage = await t.http().post('/v1/connections').set(bearer(tenant.adminKey))
      .send({ provider: 'sage', name: 'Sage bad', settings: { businessId: 'not-an-id' } })
      .expect(400);
    expect((sage.body.errors as Array<{ field: string }>).map((e) => e.field)).toEqual(['settings.businessId']);
  });

  it('creates connections whose credentials are stored but never returned', async () => {
    const credentials = { clientId: 'ABcd1234', clientSecret: 'shh-secret', refreshToken: 'AB11797651953PT8' };
    const qbo = await t.http().post('/v1/connections').set(bearer(tenant.adminKey))
      .send({ provider: 'quickbooks', name: 'QBO US', settings: { realmId: '9130357992222222', environment: 'sandbox' }, credentials, schedule: { cron: '0 */2 * * *', timezone: 'UTC' } })
      .expect(201);
    expect(qbo.body).toMatchObject({
      provider: 'quickbooks',
      settings: { realmId: '9130357992222222', environment: 'sandbox' },
      hasCredentials: true,
      schedule: { cron: '0 */2 * * *', timezone: 'UTC' },
    });
    expect(JSON.stringify(qbo.body)).not.toContain('shh-secret');

    const sage = await t.http().post('/v1/connections').set(bearer(tenant.adminKey))
      .send({ provider: 'sage', name: 'Sage UK', settings: { businessId: '0d40342d0287cd6b13555c54afca6c90' }, credentials })
      .expect(201);
    expect(sage.body).toMatchObject({ provider: 'sage', settings: { businessId: '0d40342d0287cd6b13555c54afca6c90' }, hasCredentials: true });
  });
});
