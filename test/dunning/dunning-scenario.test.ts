import { bearer } from '../helpers/app';
import { dunningWorld, dupont, anOpenInvoice, type DunningWorld } from './dunning-fixture';

/**
 * One invoice of 1 200,00 EUR due 2026-01-31 through the default policy, the clock driven
 * from run to run (10:00 Paris on business days), asserted on the real SMTP server.
 */
jest.setTimeout(120_000);

describe('dunning scenario: an invoice through every step to formal notice', () => {
  let w: DunningWorld;
  let customer: { id: string; externalId: string };
  let invoice: { id: string; externalId: string };

  beforeAll(async () => {
    w = await dunningWorld();
    customer = await dupont(w);
    invoice = await anOpenInvoice(w, customer, { number: 'F-2026-001' });
  });

  afterAll(() => w.close());

  const approveAll = async () => {
    const pending = await w.t.http().get('/v1/dunning/approvals').set(bearer(w.operatorKey)).expect(200);
    for (const a of pending.body.items) await w.t.http().post(`/v1/dunning/approvals/${a.id}/approve`).set(bearer(w.operatorKey)).send({}).expect(200);
    return pending.body.items;
  };

  it('sends nothing before the pre-reminder date', async () => {
    const r = await w.run('2026-01-20');
    expect(r.counts).toEqual({ invoices: 0, reminders: 0, messages: 0, pendingApproval: 0, heldCustomers: 0 });
    expect(w.smtp.received).toHaveLength(0);
  });

  it('sends the courtesy pre-reminder 5 days before the due date', async () => {
    const r = await w.run('2026-01-26');
    expect(r.counts).toMatchObject({ invoices: 1, reminders: 1, messages: 1, pendingApproval: 0 });
    expect(r.messages[0]).toMatchObject({ customerId: customer.id, channel: 'email', stepIndex: 1, stepKey: 'pre_reminder', status: 'queued' });
    expect(r.delivery).toEqual({ sent: 1, failed: 0, retried: 0, outsideWindow: false });
    expect(w.smtp.received).toHaveLength(1);
    const mail = w.smtp.received[0];
    expect(mail.to).toEqual(['ap@dupont.test']);
    expect(mail.from).toBe('ar@acme.test');
    expect(mail.subject).toBe('Échéance prochaine de vos factures');
    expect(mail.text.replace(/[\u202f\u00a0]/g, ' ')).toContain('- F-2026-001 (échéance 2026-01-31) : 1 200,00 €');
  });

  it('plans nothing new when run again', async () => {
    const r = await w.run('2026-01-27');
    expect(r.counts.reminders).toBe(0);
    expect(w.smtp.received).toHaveLength(1);
  });

  it('sends reminder 1 at +5 days without approval', async () => {
    const r = await w.run('2026-02-05');
    expect(r.messages.map((m: { stepKey: string; status: string }) => [m.stepKey, m.status])).toEqual([['reminder_1', 'queued']]);
    expect(w.smtp.received.map((m) => m.subject)).toEqual(['Échéance prochaine de vos factures', 'Relance : factures échues']);
  });

  it('holds reminder 2 (third step) for approval, then sends it', async () => {
    const r = await w.run('2026-02-16');
    expect(r.messages.map((m: { stepKey: string; status: string }) => [m.stepKey, m.status])).toEqual([['reminder_2', 'pending_approval']]);
    expect(w.smtp.received).toHaveLength(2);
    const approved = await approveAll();
    expect(approved).toHaveLength(1);
    expect(approved[0].invoices).toEqual([
      { invoiceId: invoice.id, number: 'F-2026-001', dueDate: '2026-01-31', currency: 'EUR', outstandingMinor: 120000, interestMinor: null, indemnityMinor: null },
    ]);
    expect(w.smtp.received.map((m) => m.subject)).toEqual([
      'Échéance prochaine de vos factures', 'Relance : factures échues', 'Deuxième relance : factures échues',
    ]);
  });

  it('changes channel at +30: e-mail and a call task in the work list', async () => {
    const r = await w.run('2026-03-02');
    expect(r.messages.map((m: { channel: string; stepKey: string }) => [m.channel, m.stepKey])).toEqual([['call', 'reminder_3'], ['email', 'reminder_3']]);
    await approveAll();
    expect(w.smtp.received.at(-1)!.subject).toBe('Dernière relance avant mise en demeure');
    const tasks = await w.t.http().get('/v1/dunning/tasks?status=open').set(bearer(w.operatorKey)).expect(200);
    expect(tasks.body.items).toHaveLength(1);
    expect(tasks.body.items[0]).toMatchObject({ customerId: customer.id, status: 'open', dueDate: '2026-03-02', kind: 'call' });
    await w.t.http().post(`/v1/dunning/tasks/${tasks.body.items[0].id}/complete`).set(bearer(w.operatorKey))
      .send({ outcome: 'no_answer', note: 'voicemail' }).expect(200);
  });

  it('sends the formal notice at +60 as a PDF letter with the late-payment penalties, exact to the cent', async () => {
    const dry = await w.run('2026-04-01', { dryRun: true });
    // 1 200,00 EUR × 12,15 % (ECB 2,15 % + 10) × 60 days / 365 = 23,967 → 23,97 EUR; + 40 EUR indemnity
    expect(dry.messages.map((m: { channel: string; invoices: unknown[] }) => [m.channel, m.invoices])).toEqual([
      ['call', [expect.objectContaining({ interestMinor: 2397, indemnityMinor: 4000, outstandingMinor: 120000 })]],
      ['letter', [expect.objectContaining({ interestMinor: 2397, indemnityMinor: 4000, outstandingMinor: 120000 })]],
    ]);
    const real = await w.run('2026-04-01');
    const strip = (r: typeof real) => r.messages.map(({ messageId: _m, ...rest }: Record<string, unknown>) => rest);
    expect(strip(real)).toEqual(strip(dry));
    expect(real.counts).toEqual(dry.counts);
    await approveAll();
    const timeline = await w.t.http().get(`/v1/customers/${customer.id}/timeline`).set(bearer(w.tenant.adminKey)).expect(200);
    const letter = timeline.body.items.find((i: { kind: string; channel?: string }) => i.kind === 'message' && i.channel === 'letter');
    expect(letter).toMatchObject({ status: 'sent', stepKey: 'formal_notice', subject: 'Mise en demeure de payer' });
    expect(letter.body.replace(/[\u202f\u00a0]/g, ' ')).toContain('Intérêts de retard : 23,97 €\nIndemnité forfaitaire pour frais de recouvrement : 40,00 €');
    const pdf = await w.t.http().get(letter.document).set(bearer(w.operatorKey)).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    const steps = timeline.body.items.filter((i: { kind: string }) => i.kind === 'message').map((i: { stepKey: string; channel: string; status: string }) => `${i.stepKey}/${i.channel}/${i.status}`);
    expect(steps.sort()).toEqual([
      'formal_notice/call/sent', 'formal_notice/letter/sent', 'pre_reminder/email/sent', 'reminder_1/email/sent',
      'reminder_2/email/sent', 'reminder_3/call/sent', 'reminder_3/email/sent',
    ]);
    expect(timeline.body.items.filter((i: { type?: string }) => i.type === 'call_outcome').map((i: { message: string }) => i.message)).toEqual(['Call: no_answer (voicemail)']);
    // 5 e-mails in all: formal notice is a letter and a call
    expect(w.smtp.received).toHaveLength(4);
  });

  it('has nothing left to send after the last step', async () => {
    const r = await w.run('2026-05-04');
    expect(r.counts.reminders).toBe(0);
  });
});
