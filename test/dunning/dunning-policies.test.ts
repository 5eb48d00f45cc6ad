import { anAllocation, aPayment } from '../helpers/factories';
import { bearer } from '../helpers/app';
import { anOpenInvoice, dunningWorld, dupont, type DunningWorld } from './dunning-fixture';

jest.setTimeout(120_000);

describe('dunning policies: API, assignment, A/B variants', () => {
  let w: DunningWorld;

  beforeAll(async () => {
    w = await dunningWorld();
  });

  afterAll(() => w.close());

  it('validates a policy and lists every problem with its field (admin only)', async () => {
    await w.t.http().post('/v1/dunning/policies').set(bearer(w.operatorKey)).send({ name: 'x', steps: [] }).expect(403);
    const bad = await w.t.http().post('/v1/dunning/policies').set(bearer(w.tenant.adminKey))
      .send({ name: 'Bad', steps: [{ key: 'custom', trigger: { from: 'previous_step', days: 3 }, channels: ['email'] }] }).expect(400);
    expect(bad.body.errors).toEqual([
      { field: 'body.steps.0.trigger.from', message: 'the first step has no previous step' },
      { field: 'body.steps.0.templates.fr', message: 'no built-in template for "custom": give one' },
      { field: 'body.steps.0.templates.en', message: 'no built-in template for "custom": give one' },
    ]);
    const list = await w.t.http().get('/v1/dunning/policies').set(bearer(w.operatorKey)).expect(200);
    expect(list.body.items.map((p: { name: string; isDefault: boolean }) => [p.name, p.isDefault])).toEqual([['Default', true]]);
  });

  it('assigns a policy with A/B variants to a customer; the report compares days to pay by variant', async () => {
    const created = await w.t.http().post('/v1/dunning/policies').set(bearer(w.tenant.adminKey)).send({
      name: 'Key accounts',
      steps: [
        { key: 'reminder_1', trigger: { from: 'due_date', days: 3 }, channels: ['email'] },
        { key: 'reminder_2', trigger: { from: 'previous_step', days: 7 }, channels: ['email'], requiresApproval: false },
      ],
      variants: [{ key: 'A' }, { key: 'B', steps: [{ key: 'reminder_1', trigger: { from: 'due_date', days: 1 }, channels: ['email'] }] }],
    }).expect(201);
    expect(created.body).toMatchObject({ name: 'Key accounts', isDefault: false, grouping: 'customer', catchUp: 'highest' });
    const customers = [];
    for (let i = 0; i < 6; i++) {
      const c = await dupont(w, { name: `Key ${i}`, emails: [`key${i}@example.test`] });
      await w.t.http().post(`/v1/dunning/policies/${created.body.id}/assignments`).set(bearer(w.tenant.adminKey))
        .send({ scope: 'customer', target: c.id }).expect(201);
      customers.push({ c, inv: await anOpenInvoice(w, c, { number: `K-${i}` }) });
    }
    const r = await w.run('2026-02-03');
    const variants = r.messages.map((m: { invoices: Array<{ variant: string; stepKey: string; policyId: string }> }) => m.invoices[0]);
    expect(variants.every((v: { policyId: string; stepKey: string }) => v.policyId === created.body.id && v.stepKey === 'reminder_1')).toBe(true);
    const byVariant = new Map<string, number>();
    for (const v of variants) byVariant.set(v.variant, (byVariant.get(v.variant) ?? 0) + 1);
    expect([...byVariant.values()].reduce((a, b) => a + b, 0)).toBe(6);
    // variant A: reminder 2 comes 7 days after reminder 1 was sent (02-03); variant B has one step only
    expect((await w.run('2026-02-09', { dryRun: true })).counts.reminders).toBe(0);
    const next = await w.run('2026-02-10', { dryRun: true });
    expect(next.messages.map((m: { stepKey: string; invoices: Array<{ variant: string }> }) => `${m.stepKey}/${m.invoices[0].variant}`))
      .toEqual(Array(byVariant.get('A') ?? 0).fill('reminder_2/A'));

    // customers 0 and 1 pay on 02-08 (5 days after the reminder), customer 2 on 02-13 (10 days)
    for (const [i, date] of [[0, '2026-02-08'], [1, '2026-02-08'], [2, '2026-02-13']] as const) {
      const { c, inv } = customers[i];
      const p = await aPayment(w.scope, c, { amountMinor: 120_000, date });
      await anAllocation(w.scope, { invoiceId: inv.id, paymentId: p.id }, { amountMinor: 120_000, date });
    }
    const report = await w.t.http().get(`/v1/dunning/reports/variants?policy=${created.body.id}`).set(bearer(w.operatorKey)).expect(200);
    const variantOf = new Map(variants.map((v: { variant: string }, k: number) => [r.messages[k].customerId, v.variant]));
    const expected = new Map<string, { invoices: number; paid: number; days: number[] }>();
    for (const [i, { c }] of customers.entries()) {
      const v = variantOf.get(c.id) as string;
      const e = expected.get(v) ?? { invoices: 0, paid: 0, days: [] };
      e.invoices++;
      if (i <= 2) {
        e.paid++;
        e.days.push(i === 2 ? 10 : 5);
      }
      expected.set(v, e);
    }
    expect(report.body.items).toEqual(
      [...expected.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([variant, e]) => ({
        policyId: created.body.id, policyName: 'Key accounts', variant, invoices: e.invoices, paid: e.paid,
        avgDaysToPay: e.paid ? (e.days.reduce((a, b) => a + b, 0) / e.paid).toFixed(1) : null,
      })),
    );
  });

  it('after downtime, catchUp "highest" sends the highest step due and "next" the first not done; a step skips invoices below its minimum', async () => {
    const steps = [
      { key: 'reminder_1', trigger: { from: 'due_date', days: 5 }, channels: ['email'], requiresApproval: false },
      { key: 'reminder_2', trigger: { from: 'due_date', days: 15 }, channels: ['email'], requiresApproval: false, minAmountMinor: 50_000 },
      { key: 'reminder_3', trigger: { from: 'due_date', days: 30 }, channels: ['email'], requiresApproval: false, minAmountMinor: 100_000 },
    ];
    const policy = async (name: string, catchUp: string) =>
      (await w.t.http().post('/v1/dunning/policies').set(bearer(w.tenant.adminKey)).send({ name, catchUp, steps }).expect(201)).body.id as string;
    const highest = await policy('Catch up highest', 'highest');
    const next = await policy('Catch up next', 'next');
    const plan = new Map<string, string>();
    for (const [name, policyId, totalMinor] of [['H-BIG', highest, 120_000], ['H-MID', highest, 60_000], ['H-SMALL', highest, 20_000], ['N-BIG', next, 120_000]] as const) {
      const c = await dupont(w, { name, emails: [`${name.toLowerCase()}@example.test`] });
      await w.t.http().post(`/v1/dunning/policies/${policyId}/assignments`).set(bearer(w.tenant.adminKey)).send({ scope: 'customer', target: c.id }).expect(201);
      await anOpenInvoice(w, c, { number: name, totalMinor });
    }
    // due 2026-01-31, nothing sent yet; on 03-05 every step's date has passed (+5, +15, +30)
    const r = await w.run('2026-03-05', { dryRun: true });
    for (const m of r.messages) for (const i of m.invoices) if (/^[HN]-/.test(i.number)) plan.set(i.number, i.stepKey);
    expect(Object.fromEntries(plan)).toEqual({ 'H-BIG': 'reminder_3', 'H-MID': 'reminder_2', 'H-SMALL': 'reminder_1', 'N-BIG': 'reminder_1' });
  });
});
