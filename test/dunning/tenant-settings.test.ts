import { bearer, createTenant, type TestTenant } from '../helpers/app';
import { aConnection, aCustomer, anInvoice } from '../helpers/factories';
import { dunningWorld, dupont, anOpenInvoice, type DunningWorld } from './dunning-fixture';
import { SmtpSink } from './smtp-sink';

jest.setTimeout(120_000);

/** Tenant settings through the API, and a tenant's own SMTP server for its reminders. */
describe('tenant settings and per-tenant SMTP', () => {
  let w: DunningWorld;
  const own = new SmtpSink({ auth: { user: 'ar@acme.test', pass: 'p4ss-Acme' } });
  let ownPort: number;

  beforeAll(async () => {
    w = await dunningWorld({ DUNNING_BOUNCE_ADDRESS: 'bounces@service.test' });
    await own.start();
    ownPort = own.port;
  });

  afterAll(async () => {
    await w.close();
    await own.stop();
  });

  const settings = (key: string) => w.t.http().get('/v1/settings').set(bearer(key));
  const patch = (key: string, body: unknown) => w.t.http().patch('/v1/settings').set(bearer(key)).send(body as object);

  it('validates every field and changes nothing on a bad request; admin only', async () => {
    const before = (await settings(w.tenant.adminKey).expect(200)).body;
    expect(before).toMatchObject({ name: 'Acme SAS', timezone: 'Europe/Paris', dunning: {}, smtp: null, effective: { dunning: { jurisdiction: 'FR', sendingHours: [8, 18] }, aging: { buckets: [30, 60, 90, 120] } } });
    await settings(w.operatorKey).expect(403);
    await patch(w.operatorKey, { timezone: 'UTC' }).expect(403);
    const bad = await patch(w.tenant.adminKey, { timezone: 'Nowhere/Land', dunning: { from: 'Acme <ar@acme.test>', sendingHours: [9, 9] }, smtp: { port: 2525 } }).expect(400);
    expect(bad.body.errors).toEqual([
      { field: 'timezone', message: 'must be an IANA timezone, e.g. Europe/Paris' },
      { field: 'dunning.sendingHours', message: 'must be [from, to] hours with 0 ≤ from < to ≤ 24' },
      { field: 'smtp.host', message: 'is required for a tenant SMTP server' },
    ]);
    expect((await settings(w.tenant.adminKey).expect(200)).body).toEqual(before);
  });

  it('sends the tenant\'s reminders through its own SMTP server with its sealed password, never shown; others keep the service\'s', async () => {
    const res = await patch(w.tenant.adminKey, {
      dunning: { from: 'Acme AR <ar@acme.test>', replyTo: 'compta@acme.test', sendingDays: [1, 2, 3, 4, 5, 6, 7] },
      smtp: { host: '127.0.0.1', port: ownPort, secure: false, user: 'ar@acme.test', password: 'p4ss-Acme' },
    }).expect(200);
    expect(res.body.smtp).toEqual({ host: '127.0.0.1', port: ownPort, secure: false, user: 'ar@acme.test', passwordSet: true });
    expect(JSON.stringify(res.body)).not.toContain('p4ss-Acme');
    // at rest: sealed, not in clear; the audit names what changed, not the password
    const [row] = await w.t.ds.query(`SELECT settings::text AS s FROM tenants WHERE id = $1`, [w.tenant.tenantId]);
    expect(row.s).not.toContain('p4ss-Acme');
    expect(row.s).toMatch(/"passwordSealed": "v1\./);
    const audit = await w.t.ds.query(`SELECT data FROM audit_events WHERE action = 'settings.updated'`);
    expect(audit).toEqual([{ data: { changed: ['dunning', 'smtp'], smtpPassword: 'set' } }]);
    await w.t.http().post('/v1/settings/smtp/test').set(bearer(w.tenant.adminKey)).expect(200, { ok: true, server: 'tenant', host: '127.0.0.1' });

    // another tenant without its own server: the service's (w.smtp)
    const other: TestTenant = await createTenant(w.t, 'Other SAS');
    const otherConn = await aConnection(w.t.ds, other.tenantId, { provider: 'fec' });
    const otherScope = { ds: w.t.ds, tenantId: other.tenantId, connectionId: otherConn };
    const oc = await aCustomer(otherScope, { name: 'Bernard', emails: ['ap@bernard.test'], language: 'fr' });
    await anInvoice(otherScope, oc, { issueDate: '2026-01-01', dueDate: '2026-01-31', totalMinor: 50_000, number: 'O-1' });
    await w.t.ds.query(`UPDATE connections SET last_success_at = now() WHERE id = $1`, [otherConn]);

    const c = await dupont(w);
    await anOpenInvoice(w, c, { number: 'A-1' });
    expect((await w.run('2026-02-05')).delivery.sent).toBe(1);
    expect(own.received.map((m) => [m.to, /^From: (.*)$/m.exec(m.raw)?.[1], /^Reply-To: (.*)$/m.exec(m.raw)?.[1]])).toEqual([
      [['ap@dupont.test'], 'Acme AR <ar@acme.test>', 'compta@acme.test'],
    ]);
    // the service's VERP return path is not imposed on the tenant's server: the envelope sender is the From address
    expect(own.received[0].from).toBe('ar@acme.test');
    expect(w.smtp.received).toEqual([]);
    const otherKey = await other.key('operator');
    const r = await w.t.http().post('/v1/dunning/runs').set(bearer(otherKey)).send({}).expect(200);
    expect(r.body.delivery.sent).toBe(1);
    expect(w.smtp.received.map((m) => m.to)).toEqual([['ap@bernard.test']]);
    expect(w.smtp.received[0].from).toMatch(/^bounces\+[0-9a-f-]{36}@service\.test$/);
    expect(own.received).toHaveLength(1);
  });

  it('a wrong password fails the SMTP check with the server\'s reason; smtp: null goes back to the service\'s server', async () => {
    await patch(w.tenant.adminKey, { smtp: { password: 'wrong' } }).expect(200);
    const check = await w.t.http().post('/v1/settings/smtp/test').set(bearer(w.tenant.adminKey)).expect(422);
    expect(check.body.detail).toMatch(/535 5\.7\.8 authentication failed/);
    const res = await patch(w.tenant.adminKey, { smtp: null, dunning: { replyTo: null } }).expect(200);
    expect(res.body.smtp).toBeNull();
    expect(res.body.dunning).toEqual({ from: 'Acme AR <ar@acme.test>', sendingDays: [1, 2, 3, 4, 5, 6, 7] });
    await w.t.http().post('/v1/settings/smtp/test').set(bearer(w.tenant.adminKey)).expect(200, { ok: true, server: 'service', host: null });
  });
});
