import { aCustomer, anAllocation, anInvoice, aPayment } from '../helpers/factories';
import { bearer, createTenant, startTestApp, TestApp, TestTenant } from '../helpers/app';
import { TestConnectorModule } from '../support/test-connector';

type OpenApi = { paths: Record<string, Record<string, { security?: unknown[] }>> };

const PUBLIC_PREFIXES = ['/health', '/metrics', '/docs', '/app', '/v1/oauth/callback'];

/**
 * Walks every endpoint of the OpenAPI description with tenant B's admin key against
 * tenant A's ids: each answers 404 (or 400 for a body it rejects first), never A's data.
 */
describe('tenant isolation', () => {
  let t: TestApp;
  let a: TestTenant;
  let b: TestTenant;
  const secretsOfA: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({ extraModules: [TestConnectorModule] });
    a = await createTenant(t, 'Tenant A Industries');
    b = await createTenant(t, 'Tenant B Trading');
    const created = await t
      .http()
      .post('/v1/connections')
      .set(bearer(a.adminKey))
      .send({ provider: 'test', name: 'A books', credentials: { token: 'a-secret-token' } })
      .expect(201);
    const scope = { ds: t.ds, tenantId: a.tenantId, connectionId: created.body.id as string };
    const customer = await aCustomer(scope, { name: 'Alpha Customer of A' });
    const invoice = await anInvoice(scope, customer, { totalMinor: 12345 });
    const payment = await aPayment(scope, customer, { amountMinor: 5000 });
    await anAllocation(scope, { invoiceId: invoice.id, paymentId: payment.id }, { amountMinor: 5000 });
    await t.http().post('/v1/api-keys').set(bearer(a.adminKey)).send({ name: 'A viewer', role: 'viewer' }).expect(201);
    secretsOfA.push(a.tenantId, created.body.id, customer.id, invoice.id, payment.id, 'Alpha Customer of A', 'A books', 'Tenant A Industries');
  });

  afterAll(() => t.close());

  /** One row of tenant A for the collection a path parameter names, looked up generically. */
  async function idOfA(path: string, param: string): Promise<string | null> {
    const segments = path.split('/').filter(Boolean);
    const at = segments.indexOf(`{${param}}`);
    const collection = segments[at - 1] ?? '';
    const table = collection.replace(/-/g, '_');
    const candidates = [table, `${table}s`, table.replace(/s$/, '')];
    for (const name of candidates) {
      const exists = await t.ds.query(
        `SELECT 1 FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND column_name = 'tenant_id'`,
        [name],
      );
      if (!exists.length) continue;
      const rows = await t.ds.query(`SELECT id::text AS id FROM "${name}" WHERE tenant_id = $1 LIMIT 1`, [a.tenantId]);
      if (rows.length) return rows[0].id;
    }
    return null;
  }

  it('answers 404 to tenant B on every endpoint that takes an id of tenant A', async () => {
    const doc = (await t.http().get('/docs/openapi.json').expect(200)).body as OpenApi;
    const checked: string[] = [];
    const withRealIds: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (PUBLIC_PREFIXES.some((p) => path.startsWith(p))) continue;
      const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      if (!params.length) continue;
      let url = path;
      let real = true;
      for (const p of params) {
        const id = await idOfA(path, p);
        if (!id) real = false;
        url = url.replace(`{${p}}`, id ?? '00000000-0000-4000-8000-000000000000');
      }
      for (const method of Object.keys(ops)) {
        const res = await t.http()[method as 'get'](url).set(bearer(b.adminKey)).send({});
        // The requested id may be echoed in the problem's detail; anything else of A may not.
        let body = JSON.stringify(res.body ?? res.text ?? '');
        for (const echoed of url.match(/[0-9a-f-]{36}/g) ?? []) body = body.split(echoed).join('<requested id>');
        expect({ endpoint: `${method.toUpperCase()} ${path}`, status: res.status }).toEqual({
          endpoint: `${method.toUpperCase()} ${path}`,
          status: res.status === 400 && method !== 'get' ? 400 : 404,
        });
        for (const s of secretsOfA) expect(body).not.toContain(s);
        checked.push(`${method} ${path}`);
        if (real) withRealIds.push(`${method} ${path}`);
      }
    }
    // The foundation's own resources are always walked with real ids of tenant A.
    for (const e of ['get /v1/connections/{id}', 'patch /v1/connections/{id}', 'delete /v1/connections/{id}', 'get /v1/customers/{id}', 'delete /v1/api-keys/{id}']) {
      expect(withRealIds).toContain(e);
    }
    expect(checked.length).toBeGreaterThanOrEqual(7);
  });

  it("never lists tenant A's data to tenant B", async () => {
    const doc = (await t.http().get('/docs/openapi.json').expect(200)).body as OpenApi;
    const lists = Object.entries(doc.paths).filter(([path, ops]) => 'get' in ops && !path.includes('{') && !PUBLIC_PREFIXES.some((p) => path.startsWith(p)));
    expect(lists.length).toBeGreaterThanOrEqual(5);
    for (const [path] of lists) {
      const res = await t.http().get(path).set(bearer(b.adminKey));
      expect(res.status).toBeLessThan(500);
      const body = JSON.stringify(res.body ?? res.text ?? '');
      for (const s of secretsOfA) expect({ path, leaked: body.includes(s) ? s : null }).toEqual({ path, leaked: null });
    }
  });

  it("leaves tenant A's resources untouched after B's attempts", async () => {
    const conns = await t.http().get('/v1/connections').set(bearer(a.adminKey)).expect(200);
    expect(conns.body.items).toHaveLength(1);
    expect(conns.body.items[0]).toMatchObject({ name: 'A books', enabled: true, hasCredentials: true });
    const invoices = await t.http().get('/v1/invoices').set(bearer(a.adminKey)).expect(200);
    expect(invoices.body.items.map((i: { outstandingMinor: number }) => i.outstandingMinor)).toEqual([7345]);
  });
});
