import { anAllocation, anInvoice, aPayment } from '../helpers/factories';
import { bearer } from '../helpers/app';
import { anOpenInvoice, dunningWorld, dupont, type DunningWorld, type RunBody } from './dunning-fixture';

const summary = (r: RunBody) =>
  r.messages.map((m: { channel: string; stepKey: string; invoices: Array<{ number: string; outstandingMinor: number }> }) =>
    `${m.channel}:${m.stepKey}:${m.invoices.map((i) => `${i.number}=${i.outstandingMinor}`).join(',')}`);

/** What stops, pauses or holds reminders; each test has its own tenant data on a fresh world. */
jest.setTimeout(120_000);

describe('dunning: what stops or pauses reminders', () => {
  let w: DunningWorld;

  beforeEach(async () => {
    w = await dunningWorld();
  });

  afterEach(() => w.close());

  it('stops when the invoice is paid mid-scenario; reminds the rest after a partial payment', async () => {
    const c = await dupont(w);
    const paid = await anOpenInvoice(w, c, { number: 'F-PAID' });
    const partial = await anOpenInvoice(w, c, { number: 'F-PART' });
    expect(summary(await w.run('2026-02-05'))).toEqual(['email:reminder_1:F-PAID=120000,F-PART=120000']);
    const p1 = await aPayment(w.scope, c, { amountMinor: 120_000, date: '2026-02-10' });
    await anAllocation(w.scope, { invoiceId: paid.id, paymentId: p1.id }, { amountMinor: 120_000, date: '2026-02-10' });
    const p2 = await aPayment(w.scope, c, { amountMinor: 45_050, date: '2026-02-10' });
    await anAllocation(w.scope, { invoiceId: partial.id, paymentId: p2.id }, { amountMinor: 45_050, date: '2026-02-10' });
    const r = await w.run('2026-02-16', { dryRun: true });
    expect(summary(r)).toEqual(['email:reminder_2:F-PART=74950']);
    expect(w.smtp.received).toHaveLength(1);
  });

  it('excludes a disputed invoice, keeps the others, and resumes it when the dispute is resolved', async () => {
    const c = await dupont(w);
    const disputed = await anOpenInvoice(w, c, { number: 'F-DISP' });
    await anOpenInvoice(w, c, { number: 'F-OK', totalMinor: 30_000 });
    const d = await w.t.http().post('/v1/disputes').set(bearer(w.operatorKey)).send({ invoiceId: disputed.id, reason: 'goods damaged' }).expect(201);
    expect(summary(await w.run('2026-02-05'))).toEqual(['email:reminder_1:F-OK=30000']);
    expect(w.smtp.received[0].text).not.toContain('F-DISP');
    await w.t.http().post(`/v1/disputes/${d.body.id}/resolve`).set(bearer(w.operatorKey)).send({ note: 'credit note refused' }).expect(200);
    // resumed: the highest step now due for it (reminder 1 on 02-06), not the pre-reminder it never got
    expect(summary(await w.run('2026-02-06'))).toEqual(['email:reminder_1:F-DISP=120000']);
    const timeline = await w.t.http().get(`/v1/invoices/${disputed.id}/timeline`).set(bearer(w.operatorKey)).expect(200);
    expect(timeline.body.items.filter((i: { kind: string }) => i.kind === 'event').map((i: { type: string }) => i.type)).toEqual(['reminder_sent', 'dispute_resolved', 'dispute_opened']);
  });

  it('pauses for a promise to pay, marks it kept from the payment', async () => {
    const c = await dupont(w);
    const inv = await anOpenInvoice(w, c);
    await w.at('2026-02-03');
    await w.t.http().post('/v1/promises').set(bearer(w.operatorKey))
      .send({ customerId: c.id, invoiceIds: [inv.id], promisedDate: '2026-02-10', amountMinor: 120_000, graceDays: 2 }).expect(201);
    expect((await w.run('2026-02-05')).counts.reminders).toBe(0);
    const p = await aPayment(w.scope, c, { amountMinor: 120_000, date: '2026-02-11' });
    await anAllocation(w.scope, { invoiceId: inv.id, paymentId: p.id }, { amountMinor: 120_000, date: '2026-02-11' });
    expect((await w.run('2026-02-16')).counts.reminders).toBe(0);
    const promises = await w.t.http().get(`/v1/promises?customer=${c.id}`).set(bearer(w.operatorKey)).expect(200);
    expect(promises.body.items.map((x: { status: string; amountMinor: number }) => [x.status, x.amountMinor])).toEqual([['kept', 120000]]);
  });

  it('a broken promise resumes the scenario (highest step due) and raises an alert', async () => {
    const c = await dupont(w);
    const inv = await anOpenInvoice(w, c, { number: 'F-PROM' });
    await w.at('2026-02-03');
    await w.t.http().post('/v1/promises').set(bearer(w.operatorKey))
      .send({ customerId: c.id, invoiceIds: [inv.id], promisedDate: '2026-02-10', amountMinor: 120_000, graceDays: 2 }).expect(201);
    // grace runs to 02-12 inclusive: still paused
    expect((await w.run('2026-02-12')).counts.reminders).toBe(0);
    const r = await w.run('2026-02-13');
    expect(summary(r)).toEqual(['email:reminder_1:F-PROM=120000']);
    const promises = await w.t.http().get(`/v1/promises?customer=${c.id}`).set(bearer(w.operatorKey)).expect(200);
    expect(promises.body.items[0].status).toBe('broken');
    const alerts = await w.t.ds.query(`SELECT kind, key, customer_id FROM alerts WHERE tenant_id = $1`, [w.tenant.tenantId]);
    expect(alerts).toEqual([{ kind: 'broken_promise', key: promises.body.items[0].id, customer_id: c.id }]);
  });

  it('after downtime, sends only the highest step now due, never a burst of missed steps', async () => {
    const c = await dupont(w);
    await anOpenInvoice(w, c, { number: 'F-LATE' });
    const r = await w.run('2026-03-03');
    expect(summary(r)).toEqual(['call:reminder_3:F-LATE=120000', 'email:reminder_3:F-LATE=120000']);
    expect(r.counts.pendingApproval).toBe(2);
    expect(w.smtp.received).toHaveLength(0);
  });

  it('groups one message per customer listing every invoice due, at its own step', async () => {
    const c = await dupont(w);
    await anOpenInvoice(w, c, { number: 'F-A', dueDate: '2026-01-31' });
    await anOpenInvoice(w, c, { number: 'F-B', dueDate: '2026-02-02', totalMinor: 9_999 });
    const other = await dupont(w, { name: 'Martin SA', emails: ['compta@martin.test'], language: 'en' });
    await anOpenInvoice(w, other, { number: 'M-1', dueDate: '2026-02-01', totalMinor: 5_000 });
    const r = await w.run('2026-02-09');
    expect(r.counts).toMatchObject({ invoices: 3, reminders: 3, messages: 2 });
    const mails = [...w.smtp.received].sort((a, b) => a.to[0].localeCompare(b.to[0]));
    expect(mails.map((m) => [m.to[0], m.subject])).toEqual([
      ['ap@dupont.test', 'Relance : factures échues'],
      ['compta@martin.test', 'Reminder: overdue invoices'],
    ]);
    const fr = mails[0].text.replace(/[\u202f\u00a0]/g, ' ');
    expect(fr).toContain('- F-A (échéance 2026-01-31) : 1 200,00 €\n- F-B (échéance 2026-02-02) : 99,99 €');
    expect(fr).toContain('Total dû : 1 299,99 €');
    expect(mails[1].text).toContain('- M-1 (due 2026-02-01): €50.00');
  });

  it('skips customers whose net balance is not positive, excluded customers, manual pauses; holds unmatched payments and stale syncs', async () => {
    const credited = await dupont(w, { name: 'Credited' });
    await anOpenInvoice(w, credited, { number: 'CR-1', totalMinor: 10_000 });
    await anInvoice(w.scope, credited, { kind: 'credit_note', number: 'AV-1', totalMinor: 10_000, issueDate: '2026-01-20', dueDate: null });
    const excluded = await dupont(w, { name: 'Direct debit' });
    await anOpenInvoice(w, excluded, { number: 'DD-1' });
    await w.t.http().put(`/v1/dunning/customers/${excluded.id}`).set(bearer(w.operatorKey)).send({ excluded: true, exclusionReason: 'direct_debit', collector: 'alice' }).expect(200);
    const paused = await dupont(w, { name: 'Paused' });
    await anOpenInvoice(w, paused, { number: 'PA-1' });
    await w.at('2026-02-02');
    await w.t.http().post('/v1/dunning/pauses').set(bearer(w.operatorKey)).send({ customerId: paused.id, until: '2026-02-05', reason: 'CFO on leave' }).expect(201);
    const unmatched = await dupont(w, { name: 'Unmatched' });
    await anOpenInvoice(w, unmatched, { number: 'UN-1' });
    await aPayment(w.scope, unmatched, { amountMinor: 50_000, date: '2026-02-01' });
    const normal = await dupont(w, { name: 'Normal' });
    await anOpenInvoice(w, normal, { number: 'NO-1' });

    const r = await w.run('2026-02-05');
    expect(summary(r)).toEqual(['email:reminder_1:NO-1=120000']);
    expect(r.held).toEqual([{ customerId: unmatched.id, reason: 'unmatched_payments', invoices: 1 }]);
    // the pause ends on 02-05 inclusive
    expect(summary(await w.run('2026-02-06', { dryRun: true }))).toEqual(['email:reminder_1:PA-1=120000']);

    // a connection not synced for more than DUNNING_SYNC_FRESHNESS_HOURS (36) holds everything
    await w.at('2026-02-06');
    w.t.clock.set('2026-02-08T09:00:00Z');
    const stale = await w.t.http().post('/v1/dunning/runs').set(bearer(w.operatorKey)).send({ dryRun: true }).expect(200);
    expect(stale.body.messages).toEqual([]);
    expect(stale.body.held.map((h: { reason: string }) => h.reason).sort()).toEqual(['stale_sync', 'unmatched_payments']);
  });

  it('records a hard bounce as failed, on the timeline', async () => {
    const c = await dupont(w, { emails: ['bounce@dupont.test'] });
    const inv = await anOpenInvoice(w, c);
    const r = await w.run('2026-02-05');
    expect(r.delivery).toEqual({ sent: 0, failed: 1, retried: 0, outsideWindow: false });
    const t = await w.t.http().get(`/v1/invoices/${inv.id}/timeline`).set(bearer(w.operatorKey)).expect(200);
    const msg = t.body.items.find((i: { kind: string }) => i.kind === 'message');
    expect(msg).toMatchObject({ status: 'failed', channel: 'email', attempts: 1 });
    expect(msg.error).toMatch(/^bounced \(550\)/);
    expect(t.body.items.filter((i: { kind: string }) => i.kind === 'event').map((i: { type: string }) => i.type)).toEqual(['reminder_failed']);
    // a failed step is done: not planned again
    expect((await w.run('2026-02-06')).counts.reminders).toBe(0);
  });

  it('a call outcome "promise" records the promise, which pauses the reminders; the messages list shows deliveries', async () => {
    const c = await dupont(w, { emails: [] });
    const inv = await anOpenInvoice(w, c, { number: 'F-CALL' });
    await w.t.http().put(`/v1/dunning/customers/${c.id}`).set(bearer(w.operatorKey)).send({ collector: 'alice@acme.test' }).expect(200);
    const r = await w.run('2026-03-03');
    expect(r.messages.map((m: { channel: string; status: string }) => `${m.channel}:${m.status}`)).toEqual(['call:pending_approval', 'email:pending_approval']);
    for (const m of r.messages) await w.t.http().post(`/v1/dunning/approvals/${m.messageId}/approve`).set(bearer(w.operatorKey)).send({}).expect(200);
    const tasks = await w.t.http().get('/v1/dunning/tasks?assignedTo=alice@acme.test').set(bearer(w.operatorKey)).expect(200);
    expect(tasks.body.items.map((t: { status: string; customerId: string }) => [t.status, t.customerId])).toEqual([['open', c.id]]);
    await w.t.http().post(`/v1/dunning/tasks/${tasks.body.items[0].id}/complete`).set(bearer(w.operatorKey))
      .send({ outcome: 'promise' }).expect(400);
    const done = await w.t.http().post(`/v1/dunning/tasks/${tasks.body.items[0].id}/complete`).set(bearer(w.operatorKey))
      .send({ outcome: 'promise', note: 'pays on the 20th', promise: { promisedDate: '2026-03-20', amountMinor: 120_000, invoiceIds: [inv.id] } }).expect(200);
    expect(done.body).toMatchObject({ status: 'done', outcome: 'promise', completedBy: expect.any(String) });
    const promises = await w.t.http().get(`/v1/promises?customer=${c.id}`).set(bearer(w.operatorKey)).expect(200);
    expect(promises.body.items.map((p: { status: string; promisedDate: string; amountMinor: number }) => [p.status, p.promisedDate, p.amountMinor])).toEqual([['pending', '2026-03-20', 120000]]);
    // the formal notice (+60 = 04-01) waits for the promise: paused until 03-20
    expect((await w.run('2026-03-20', { dryRun: true })).counts.reminders).toBe(0);
    const msgs = await w.t.http().get(`/v1/dunning/messages?customer=${c.id}`).set(bearer(w.operatorKey)).expect(200);
    // no e-mail address: the e-mail failed at once (permanent), the call task was created
    expect(msgs.body.items.map((m: { channel: string; status: string; error: string | null }) => [m.channel, m.status, m.error]).sort()).toEqual([
      ['call', 'sent', null], ['email', 'failed', 'the customer has no e-mail address'],
    ]);
    const audit = await w.t.ds.query(`SELECT action FROM audit_events WHERE tenant_id = $1 ORDER BY at, action`, [w.tenant.tenantId]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining([
      'dunning_customer.updated', 'dunning_message.approved', 'promise.created', 'dunning_task.completed',
    ]));
  });

  it('waits for the sending window (business days and hours, tenant timezone)', async () => {
    const c = await dupont(w);
    await anOpenInvoice(w, c);
    await w.at('2026-02-07'); // Saturday
    const sat = await w.t.http().post('/v1/dunning/runs').set(bearer(w.operatorKey)).send({}).expect(200);
    expect(sat.body.counts.messages).toBe(1);
    expect(sat.body.delivery).toEqual({ sent: 0, failed: 0, retried: 0, outsideWindow: true });
    expect(w.smtp.received).toHaveLength(0);
    const mon = await w.run('2026-02-09');
    expect(mon.counts.messages).toBe(0);
    expect(mon.delivery.sent).toBe(1);
    expect(w.smtp.received).toHaveLength(1);
  });
});
