import { bearer, createTenant, startTestApp, TestApp, TestTenant } from '../helpers/app';
import { ConnectionsService } from '../../src/sync/connections.service';
import { TestConnectorModule } from '../support/test-connector';

describe('connections API', () => {
  let t: TestApp;
  let tenant: TestTenant;
  const SECRET = 'tok-7f3a9c-very-secret';

  beforeAll(async () => {
    t = await startTestApp({ extraModules: [TestConnectorModule] });
    tenant = await createTenant(t);
  });
  afterAll(() => t.close());

  it('never returns credentials, stores them encrypted, and lets them be replaced', async () => {
    const created = await t
      .http()
      .post('/v1/connections')
      .set(bearer(tenant.adminKey))
      .send({ provider: 'test', name: 'Books', settings: { pages: 2 }, credentials: { token: SECRET }, schedule: { cron: '0 2 * * *', timezone: 'Europe/Paris' } })
      .expect(201);
    expect(created.body).toMatchObject({
      provider: 'test',
      name: 'Books',
      settings: { pages: 2 },
      schedule: { cron: '0 2 * * *', timezone: 'Europe/Paris' },
      enabled: true,
      status: 'ok',
      hasCredentials: true,
    });
    const id = created.body.id as string;
    const responses = [
      created,
      await t.http().get(`/v1/connections/${id}`).set(bearer(tenant.adminKey)).expect(200),
      await t.http().get('/v1/connections').set(bearer(tenant.adminKey)).expect(200),
      await t.http().patch(`/v1/connections/${id}`).set(bearer(tenant.adminKey)).send({ name: 'Books 2' }).expect(200),
    ];
    for (const r of responses) {
      expect(r.text).not.toContain(SECRET);
      expect(r.text).not.toMatch(/credentials"/);
    }
    const [row] = await t.ds.query('SELECT credentials_encrypted FROM connections WHERE id = $1', [id]);
    expect(row.credentials_encrypted).toMatch(/^v1\./);
    expect(row.credentials_encrypted).not.toContain(SECRET);

    await t.http().patch(`/v1/connections/${id}`).set(bearer(tenant.adminKey)).send({ credentials: { token: 'new-token' } }).expect(200);
    expect(await t.app.get(ConnectionsService).credentials(tenant.tenantId, id)).toEqual({ token: 'new-token' });
  });

  it('validates settings, credentials and schedule with field-level problems', async () => {
    const res = await t
      .http()
      .post('/v1/connections')
      .set(bearer(tenant.adminKey))
      .send({ provider: 'test', name: 'Bad', settings: { pages: -1, extra: true }, credentials: { token: 42 }, schedule: { cron: 'every day', timezone: 'Mars/Olympus' } })
      .expect(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['credentials.token', 'schedule.cron', 'schedule.timezone', 'settings.extra', 'settings.pages']);
    expect(res.text).not.toMatch(/at \w+ \(|QueryFailedError|SELECT /);
  });

  it('rejects an unknown provider and a duplicate name', async () => {
    const unknown = await t.http().post('/v1/connections').set(bearer(tenant.adminKey)).send({ provider: 'nope', name: 'X' }).expect(400);
    expect(unknown.body.errors[0]).toEqual({ field: 'provider', message: expect.stringContaining('unknown provider "nope"') });
    await t.http().post('/v1/connections').set(bearer(tenant.adminKey)).send({ provider: 'test', name: 'Dup' }).expect(201);
    const dup = await t.http().post('/v1/connections').set(bearer(tenant.adminKey)).send({ provider: 'test', name: 'Dup' }).expect(409);
    expect(dup.body.detail).toBe('a connection named "Dup" already exists');
  });

  it('enables, disables, removes the schedule and deletes', async () => {
    const { body } = await t.http().post('/v1/connections').set(bearer(tenant.adminKey)).send({ provider: 'test', name: 'Life', schedule: { cron: '*/5 * * * *', timezone: 'UTC' } }).expect(201);
    expect((await t.http().post(`/v1/connections/${body.id}/disable`).set(bearer(tenant.adminKey)).expect(200)).body.enabled).toBe(false);
    expect((await t.http().post(`/v1/connections/${body.id}/enable`).set(bearer(tenant.adminKey)).expect(200)).body.enabled).toBe(true);
    expect((await t.http().patch(`/v1/connections/${body.id}`).set(bearer(tenant.adminKey)).send({ schedule: null }).expect(200)).body.schedule).toBeNull();
    await t.http().delete(`/v1/connections/${body.id}`).set(bearer(tenant.adminKey)).expect(204);
    await t.http().get(`/v1/connections/${body.id}`).set(bearer(tenant.adminKey)).expect(404);
  });

  it('enforces roles and revocation', async () => {
    const viewer = await tenant.key('viewer');
    const operator = await tenant.key('operator');
    await t.http().get('/v1/connections').set(bearer(viewer)).expect(200);
    const forbidden = await t.http().post('/v1/connections').set(bearer(operator)).send({ provider: 'test', name: 'Nope' }).expect(403);
    expect(forbidden.body.detail).toBe('this action needs the admin role; the key has operator');
    await t.http().post('/v1/api-keys').set(bearer(viewer)).send({ name: 'x', role: 'admin' }).expect(403);
    await t.http().get('/v1/connections').expect(401);
    await t.http().get('/v1/connections').set(bearer('lb_nope_nope')).expect(401);

    const issued = await t.http().post('/v1/api-keys').set(bearer(tenant.adminKey)).send({ name: 'temp', role: 'operator' }).expect(201);
    expect(issued.body.apiKey).toMatch(/^lb_[0-9a-f]{8}_/);
    const list = await t.http().get('/v1/api-keys').set(bearer(tenant.adminKey)).expect(200);
    expect(list.text).not.toContain(issued.body.apiKey);
    const [stored] = await t.ds.query('SELECT key_hash FROM api_keys WHERE id = $1', [issued.body.id]);
    expect(stored.key_hash).toMatch(/^[0-9a-f]{64}$/);
    await t.http().get('/v1/connections').set(bearer(issued.body.apiKey)).expect(200);
    await t.http().delete(`/v1/api-keys/${issued.body.id}`).set(bearer(tenant.adminKey)).expect(204);
    const revoked = await t.http().get('/v1/connections').set(bearer(issued.body.apiKey)).expect(401);
    expect(revoked.body.detail).toBe('invalid or revoked API key');
  });

  it('serves health without a key and the OpenAPI description', async () => {
    const health = await t.http().get('/health').expect(200);
    expect(health.body.info.database.status).toBe('up');
    const doc = await t.http().get('/docs/openapi.json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/v1/connections', '/v1/connections/{id}', '/v1/invoices', '/v1/api-keys']));
    const metrics = await t.http().get('/metrics').expect(200);
    expect(metrics.text).toContain('ledgerbridge_process_cpu_user_seconds_total');
  });
});
