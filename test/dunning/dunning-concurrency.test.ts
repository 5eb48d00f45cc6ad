import { aConnection, aCustomer, anInvoice } from '../helpers/factories';
import { bearer, createTenant, startTestApp, type TestApp } from '../helpers/app';
import { TestClock } from '../helpers/clock';
import { SmtpSink } from './smtp-sink';

/**
 * Two replicas of the service on one database, each running the tenant's dunning at the
 * same moment (twice): every reminder reaches the real SMTP server exactly once.
 */
jest.setTimeout(120_000);

describe('dunning exactly once', () => {
  const smtp = new SmtpSink();
  let a: TestApp;
  let b: TestApp;
  let tenantId: string;
  let keyA: string;
  let keyB: string;
  const CUSTOMERS = 25;

  beforeAll(async () => {
    const url = await smtp.start();
    const env = { SMTP_URL: url, DUNNING_SYNC_FRESHNESS_HOURS: '0' };
    const clock = new TestClock(new Date('2026-02-05T09:00:00Z'));
    a = await startTestApp({ env, clock });
    b = await startTestApp({ env, clock, db: a.db });
    const tenant = await createTenant(a);
    tenantId = tenant.tenantId;
    keyA = await tenant.key('operator');
    keyB = await tenant.key('operator');
    const connectionId = await aConnection(a.ds, tenantId);
    const scope = { ds: a.ds, tenantId, connectionId };
    for (let i = 0; i < CUSTOMERS; i++) {
      const c = await aCustomer(scope, { name: `Customer ${i}`, emails: [`c${i}@example.test`], language: 'en' });
      await anInvoice(scope, c, { number: `INV-${i}`, dueDate: '2026-01-31', totalMinor: 10_000 + i });
      await anInvoice(scope, c, { number: `INV-${i}-b`, dueDate: '2026-01-30', totalMinor: 500 });
    }
  });

  afterAll(async () => {
    await b.close();
    await a.close();
    await smtp.stop();
  });

  it('two concurrent runs on two replicas send each reminder once', async () => {
    const runs = await Promise.all([
      a.http().post('/v1/dunning/runs').set(bearer(keyA)).send({}),
      b.http().post('/v1/dunning/runs').set(bearer(keyB)).send({}),
      a.http().post('/v1/dunning/runs').set(bearer(keyA)).send({}),
      b.http().post('/v1/dunning/runs').set(bearer(keyB)).send({}),
    ]);
    expect(runs.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    // one run wrote the whole plan; the others found it done
    expect(runs.map((r) => r.body.counts.reminders).sort((x, y) => x - y)).toEqual([0, 0, 0, CUSTOMERS * 2]);
    const sent = runs.reduce((acc, r) => acc + r.body.delivery.sent, 0);
    expect(sent).toBe(CUSTOMERS);
    expect(smtp.received).toHaveLength(CUSTOMERS);
    const recipients = smtp.received.map((m) => m.to.join(',')).sort();
    expect(new Set(recipients).size).toBe(CUSTOMERS);
    expect(smtp.received.every((m) => m.subject === 'Reminder: overdue invoices')).toBe(true);
    const [{ n }] = await a.ds.query(`SELECT count(*)::int AS n FROM dunning_reminders WHERE tenant_id = $1`, [tenantId]);
    expect(n).toBe(CUSTOMERS * 2);
  });

  it('never resends a message interrupted while sending: flagged for review instead', async () => {
    const [msg] = await a.ds.query(`SELECT id FROM dunning_messages WHERE tenant_id = $1 ORDER BY id LIMIT 1`, [tenantId]);
    await a.ds.query(`UPDATE dunning_messages SET status = 'sending', updated_at = $2 WHERE id = $1`, [msg.id, new Date('2026-02-05T08:00:00Z')]);
    const before = smtp.received.length;
    await Promise.all([
      a.http().post('/v1/dunning/runs').set(bearer(keyA)).send({}).expect(200),
      b.http().post('/v1/dunning/runs').set(bearer(keyB)).send({}).expect(200),
    ]);
    expect(smtp.received).toHaveLength(before);
    const [after] = await a.ds.query(`SELECT status, last_error FROM dunning_messages WHERE id = $1`, [msg.id]);
    expect(after).toEqual({ status: 'failed', last_error: 'delivery interrupted: outcome unknown, check before resending' });
  });
});
