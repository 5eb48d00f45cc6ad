import { bearer, createTenant, startTestApp, type TestApp, type TestTenant } from '../helpers/app';
import { ensureWebBuild } from './browser';

/** The dashboard's serving at /app and the API it starts from (no browser). */
describe('dashboard serving', () => {
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    ensureWebBuild();
    t = await startTestApp();
    tenant = await createTenant(t, 'Acme SAS');
  }, 240_000);

  afterAll(() => t.close());

  it('serves the single-page application at /app without a key, with a strict content security policy', async () => {
    for (const path of ['/app', '/app/', '/app/customers', '/app/customers/4f6d9c1e-0000-4000-8000-000000000000']) {
      const res = await t.http().get(path).expect(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.text).toContain('<div id="root"></div>');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['cache-control']).toBe('no-cache');
    }
    const index = (await t.http().get('/app/').expect(200)).text;
    const script = /src="(\/app\/assets\/[^"]+\.js)"/.exec(index)![1];
    const asset = await t.http().get(script).expect(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['content-type']).toMatch(/^(application|text)\/javascript; charset=utf-8$/i);
  });

  it('answers 404 for unknown files and never serves outside the build', async () => {
    await t.http().get('/app/assets/missing-123.js').expect(404);
    await t.http().get('/app/%2e%2e/%2e%2e/package.json').expect(404);
    await t.http().get('/app/..%2f..%2fpackage.json').expect(404);
  });

  it('tells the caller who it is: tenant and role (GET /v1/me)', async () => {
    const viewer = await tenant.key('viewer');
    const me = await t.http().get('/v1/me').set(bearer(viewer)).expect(200);
    expect(me.body).toEqual({
      tenant: { id: tenant.tenantId, name: 'Acme SAS', timezone: 'Europe/Paris' },
      key: { id: expect.any(String), name: 'viewer key', prefix: viewer.slice(3, 11), role: 'viewer' },
      role: 'viewer',
    });
    await t.http().get('/v1/me').expect(401);
  });

  it('lists sent reminders, collectors and the DSO trend for the dashboard (empty ledger)', async () => {
    expect((await t.http().get('/v1/dashboard/reminders').set(bearer(tenant.adminKey)).expect(200)).body).toEqual({ items: [], nextCursor: null });
    expect((await t.http().get('/v1/dashboard/customers').set(bearer(tenant.adminKey)).expect(200)).body).toEqual({ items: [] });
    const trend = (await t.http().get('/v1/dashboard/dso-trend').query({ asOf: '2026-01-15' }).set(bearer(tenant.adminKey)).expect(200)).body;
    expect(trend.asOf).toBe('2026-01-15');
    expect(trend.months.map((m: { asOf: string }) => m.asOf)).toEqual([
      '2025-02-28', '2025-03-31', '2025-04-30', '2025-05-31', '2025-06-30', '2025-07-31',
      '2025-08-31', '2025-09-30', '2025-10-31', '2025-11-30', '2025-12-31', '2026-01-15',
    ]);
    expect(trend.months.every((m: { lines: unknown[] }) => m.lines.length === 0)).toBe(true);
  });
});
