import { bearer, createTenant } from '../helpers/app';
import { anOpenInvoice, dunningWorld, dupont, type DunningWorld } from './dunning-fixture';

jest.setTimeout(120_000);

/** The DSN a remote server sends back to the return path of a mail it accepted and could not deliver. */
function dsn(opts: { to: string; returnedHeaders: string; action?: string; status?: string; diagnostic?: string }): string {
  return [
    'From: MAILER-DAEMON@mx.dupont.test (Mail Delivery System)',
    `To: ${opts.to}`,
    'Subject: Undelivered Mail Returned to Sender',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="DSN-1"',
    '',
    '--DSN-1',
    'Content-Type: text/plain',
    '',
    'Your message could not be delivered.',
    '--DSN-1',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.dupont.test',
    '',
    'Final-Recipient: rfc822; ap@dupont.test',
    `Action: ${opts.action ?? 'failed'}`,
    `Status: ${opts.status ?? '5.1.1'}`,
    `Diagnostic-Code: smtp; ${opts.diagnostic ?? '550 5.1.1 <ap@dupont.test>: User unknown'}`,
    '',
    '--DSN-1',
    'Content-Type: text/rfc822-headers',
    '',
    opts.returnedHeaders,
    '--DSN-1--',
    '',
  ].join('\r\n');
}

describe('dunning: late bounces', () => {
  let w: DunningWorld;

  beforeAll(async () => {
    w = await dunningWorld({ DUNNING_BOUNCE_ADDRESS: 'bounces@acme.test' });
  });

  afterAll(() => w.close());

  it('sends with a VERP return path; a DSN fed back marks the sent e-mail failed once, on the timeline, audited; delays change nothing', async () => {
    const c = await dupont(w);
    const inv = await anOpenInvoice(w, c, { number: 'F-BNC' });
    const run = await w.run('2026-02-05');
    expect(run.delivery.sent).toBe(1);
    const sent = await w.t.http().get('/v1/dunning/messages').set(bearer(w.operatorKey)).expect(200);
    const messageId: string = sent.body.items[0].id;
    const mail = w.smtp.received[0];
    // the envelope sender names the message; the From header stays the tenant's
    expect(mail.from).toBe(`bounces+${messageId}@acme.test`);
    expect(mail.raw).toMatch(/^From: Acme AR <ar@acme\.test>$/m);
    const returnedHeaders = mail.raw.split(/\r?\n\r?\n/)[0];
    expect(returnedHeaders).toContain(`<${messageId}@ledgerbridge>`);

    // the bounce comes back hours later; a delay notice (4.x.x) is not a failure
    w.t.clock.set('2026-02-05T15:00:00Z');
    const delayed = await w.t.http().post('/v1/dunning/bounces').set(bearer(w.operatorKey)).set('Content-Type', 'message/rfc822')
      .send(dsn({ to: mail.from, returnedHeaders, action: 'delayed', status: '4.4.1', diagnostic: 'smtp; 451 4.4.1 try again later' })).expect(200);
    expect(delayed.body.outcomes).toEqual([expect.objectContaining({ messageId, outcome: 'ignored', reason: 'not a permanent failure: delayed (4.4.1)' })]);
    const stillSent = await w.t.http().get('/v1/dunning/messages').set(bearer(w.operatorKey)).expect(200);
    expect(stillSent.body.items.map((m: { status: string }) => m.status)).toEqual(['sent']);

    // the hard bounce, as an MTA pipe would post it (raw message)
    const bounce = dsn({ to: mail.from, returnedHeaders });
    const res = await w.t.http().post('/v1/dunning/bounces').set(bearer(w.operatorKey)).set('Content-Type', 'message/rfc822').send(bounce).expect(200);
    const error = 'bounced (5.1.1) by ap@dupont.test: 550 5.1.1 <ap@dupont.test>: User unknown';
    expect(res.body.outcomes).toEqual([{ messageId, outcome: 'failed', reason: error, recipient: 'ap@dupont.test', status: '5.1.1', diagnostic: '550 5.1.1 <ap@dupont.test>: User unknown' }]);
    const messages = await w.t.http().get('/v1/dunning/messages').set(bearer(w.operatorKey)).expect(200);
    expect(messages.body.items.map((m: { id: string; status: string; error: string }) => [m.id, m.status, m.error])).toEqual([[messageId, 'failed', error]]);
    const timeline = await w.t.http().get(`/v1/invoices/${inv.id}/timeline`).set(bearer(w.operatorKey)).expect(200);
    const events = timeline.body.items.filter((i: { kind: string }) => i.kind === 'event').map((i: { type: string; message: string }) => [i.type, i.message]);
    expect(events).toEqual([['reminder_failed', `reminder_1 (email) ${error}`], ['reminder_sent', 'E-mail sent: reminder_1 (email) on 2026-02-05']]);
    const audit = await w.t.ds.query(`SELECT actor, action, subject_id FROM audit_events WHERE action = 'reminder.bounced'`);
    expect(audit).toEqual([{ actor: expect.any(String), action: 'reminder.bounced', subject_id: messageId }]);
    expect(audit[0].actor).not.toBe('system');

    // the same bounce again (JSON form): recorded once
    const again = await w.t.http().post('/v1/dunning/bounces').set(bearer(w.operatorKey)).send({ raw: bounce }).expect(200);
    expect(again.body.outcomes.map((o: { outcome: string }) => o.outcome)).toEqual(['already_failed']);
    const [{ n }] = await w.t.ds.query(`SELECT count(*)::int AS n FROM dunning_events WHERE type = 'reminder_failed'`);
    expect(n).toBe(1);
    // the step counts as done: the next run does not resend it the same day
    expect((await w.run('2026-02-05')).counts.reminders).toBe(0);
  });

  it('finds the message by its VERP return path when the server returns no headers', async () => {
    w.smtp.clear();
    const c = await dupont(w, { name: 'Martin SA', emails: ['compta@martin.test'] });
    await anOpenInvoice(w, c, { number: 'F-VERP' });
    const run = await w.run('2026-02-06');
    expect(run.delivery.sent).toBe(1);
    const sent = await w.t.http().get(`/v1/dunning/messages?customer=${c.id}`).set(bearer(w.operatorKey)).expect(200);
    const messageId: string = sent.body.items[0].id;
    const verpOnly = dsn({ to: `bounces+${messageId}@acme.test`, returnedHeaders: 'Subject: (headers not returned)' });
    const res = await w.t.http().post('/v1/dunning/bounces').set(bearer(w.operatorKey)).set('Content-Type', 'text/plain').send(verpOnly).expect(200);
    expect(res.body.outcomes.map((o: { messageId: string; outcome: string }) => [o.messageId, o.outcome])).toEqual([[messageId, 'failed']]);
  });

  it('refuses what is not a bounce of ours, another tenant\'s message, and a viewer', async () => {
    const notOurs = await w.t.http().post('/v1/dunning/bounces').set(bearer(w.operatorKey)).set('Content-Type', 'message/rfc822')
      .send('From: a@b.test\r\nSubject: hello\r\n\r\nWe will pay on Friday.\r\n').expect(400);
    expect(notOurs.body.errors).toEqual([{ field: 'body', message: expect.stringContaining('names no reminder of ours') }]);

    const [row] = await w.t.ds.query(`SELECT id FROM dunning_messages WHERE status = 'failed' ORDER BY created_at LIMIT 1`);
    const other = await createTenant(w.t, 'Other SAS');
    const otherKey = await other.key('operator');
    const foreign = dsn({ to: `bounces+${row.id}@acme.test`, returnedHeaders: 'Subject: x' });
    await w.t.http().post('/v1/dunning/bounces').set(bearer(otherKey)).set('Content-Type', 'message/rfc822').send(foreign).expect(404);
    const viewer = await w.tenant.key('viewer');
    await w.t.http().post('/v1/dunning/bounces').set(bearer(viewer)).set('Content-Type', 'message/rfc822').send(foreign).expect(403);
  });
});
