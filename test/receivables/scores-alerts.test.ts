import { AlertEvent, AlertsService } from '../../src/dunning/analytics/alerts.service';
import { PayerScoreService } from '../../src/dunning/analytics/payer-score.service';
import { bearer, createTenant, startTestApp, TestApp, TestTenant } from '../helpers/app';
import { aConnection, aCustomer, anAllocation, anInvoice, aPayment, LedgerScope } from '../helpers/factories';

/**
 * Gamma SARL (terms 30, credit limit 1 000.00 EUR), as of 2026-06-30:
 *   G1 100.00 due 2026-01-31 paid 2026-02-10 (10 days late)
 *   G2 300.00 due 2026-03-03 paid 2026-03-03 (on time)
 *   G3 200.00 due 2026-03-31 paid 2026-04-20 (20 days late)
 *   G4 500.00 due 2026-05-15, 200.00 paid 2026-06-01 (17 days late), 300.00 open 46 days past due
 *   G5 900.00 due 2026-07-10, open, disputed since 2026-06-20
 *   P-G6 50.00 on 2026-06-25, unallocated
 *   promise of 300.00 made 2026-06-01 for 2026-06-15 + 3 days grace; 200.00 paid since: broken
 * Delta SA pays on time: D1 100.00 due 2026-05-31 paid 2026-05-25.
 */
describe('payer scores and alerts', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let s: LedgerScope;
  let gamma: { id: string; externalId: string };
  let delta: { id: string; externalId: string };
  let g4: { id: string };
  let pg6: { id: string };
  let promiseId: string;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createTenant(t);
    s = { ds: t.ds, tenantId: tenant.tenantId, connectionId: await aConnection(t.ds, tenant.tenantId) };
    gamma = await aCustomer(s, { externalId: 'GAMMA', name: 'Gamma SARL', creditLimitMinor: 100000 });
    delta = await aCustomer(s, { externalId: 'DELTA', name: 'Delta SA' });
    const paid = async (c: typeof gamma, number: string, issue: string, due: string, total: number, payDate: string, amount = total) => {
      const inv = await anInvoice(s, c, { number, issueDate: issue, dueDate: due, totalMinor: total });
      const p = await aPayment(s, c, { date: payDate, amountMinor: amount });
      await anAllocation(s, { invoiceId: inv.id, paymentId: p.id }, { amountMinor: amount, date: payDate });
      return inv;
    };
    await paid(gamma, 'G1', '2026-01-01', '2026-01-31', 10000, '2026-02-10');
    await paid(gamma, 'G2', '2026-02-01', '2026-03-03', 30000, '2026-03-03');
    await paid(gamma, 'G3', '2026-03-01', '2026-03-31', 20000, '2026-04-20');
    g4 = await paid(gamma, 'G4', '2026-04-15', '2026-05-15', 50000, '2026-06-01', 20000);
    const g5 = await anInvoice(s, gamma, { number: 'G5', issueDate: '2026-06-10', dueDate: '2026-07-10', totalMinor: 90000 });
    pg6 = await aPayment(s, gamma, { externalId: 'P-G6', date: '2026-06-25', amountMinor: 5000 });
    await paid(delta, 'D1', '2026-05-01', '2026-05-31', 10000, '2026-05-25');
    await t.ds.query(
      `INSERT INTO disputes (tenant_id, invoice_id, customer_id, reason, opened_at, opened_by) VALUES ($1, $2, $3, 'damaged goods', '2026-06-20T09:00:00Z', 'key-1')`,
      [tenant.tenantId, g5.id, gamma.id],
    );
    [{ id: promiseId }] = await t.ds.query(
      `INSERT INTO payment_promises (tenant_id, customer_id, promised_date, amount_minor, currency, grace_days, created_by, created_at)
       VALUES ($1, $2, '2026-06-15', 30000, 'EUR', 3, 'key-1', '2026-06-01T10:00:00Z') RETURNING id`,
      [tenant.tenantId, gamma.id],
    );
    t.clock.set('2026-06-30T08:00:00Z');
  });

  afterAll(() => t.close());

  it('scores a customer from lateness, late share, broken promises, disputes and exposure', async () => {
    const res = await t.http().get(`/v1/customers/${gamma.id}/score`).set(bearer(tenant.adminKey)).expect(200);
    // Days beyond terms weighted by amount: (100×10 + 300×0 + 200×20 + 200×17 + 300×46) / 1 100 = 20.2 → 20.2 × 35 / 60 = 11.8 → 12.
    // Late: G1, G3, G4 of 4 → 0.75 × 25 = 18.75 → 19. One broken promise: 10. One dispute: 5.
    // Exposure: (300 + 900 − 50) / 1 000 = 115 % → (115 − 80) × 10 / 40 = 8.75 → 9. 100 − 55 = 45.
    expect(res.body).toEqual({
      customerId: gamma.id,
      customerRef: 'GAMMA',
      name: 'Gamma SARL',
      connectionId: s.connectionId,
      asOf: '2026-06-30',
      score: 45,
      segment: 'watch',
      components: {
        daysBeyondTerms: { value: 20.2, penalty: 12, max: 35 },
        shareLate: { value: 0.75, penalty: 19, max: 25 },
        brokenPromises: { value: 1, penalty: 10, max: 20 },
        disputes: { value: 1, penalty: 5, max: 10 },
        exposure: { value: 115, penalty: 9, max: 10 },
      },
    });
  });

  it('segments every customer for dunning policies', async () => {
    const segments = await t.app.get(PayerScoreService).segments(tenant.tenantId, '2026-06-30');
    expect([...segments.entries()]).toEqual([
      [delta.id, 'good'],
      [gamma.id, 'watch'],
    ]);
    const list = await t.http().get('/v1/reports/scores?asOf=2026-06-30&segment=good').set(bearer(tenant.adminKey)).expect(200);
    expect(list.body.items.map((i: { customerRef: string; score: number }) => [i.customerRef, i.score])).toEqual([['DELTA', 100]]);
    // As of 2026-03-31 Gamma had paid G1 late and G2 on time, G3 was open and due that day: no promise, no dispute yet.
    const earlier = await t.app.get(PayerScoreService).score(tenant.tenantId, gamma.id, '2026-03-31');
    expect([earlier.score, earlier.components.daysBeyondTerms.value, earlier.components.shareLate.value]).toEqual([100 - 1 - 13, 2.5, 0.5]);
  });

  it('answers 404 for a customer of another tenant', async () => {
    const other = await createTenant(t, 'Other');
    await t.http().get(`/v1/customers/${gamma.id}/score`).set(bearer(other.adminKey)).expect(404);
  });

  it('raises each alert once with its figures, emits it, and clears it when resolved', async () => {
    const events: AlertEvent[] = [];
    const sub = t.app.get(AlertsService).events$.subscribe((e) => events.push(e));
    const first = await t.http().post('/v1/alerts/evaluate').set(bearer(await tenant.key('operator'))).expect(200);
    expect(first.body).toEqual({ asOf: '2026-06-30', raised: 5, cleared: 0, open: 5 });
    const listed = await t.http().get('/v1/alerts').set(bearer(tenant.adminKey)).expect(200);
    const byKind = Object.fromEntries(listed.body.items.map((a: { kind: string }) => [a.kind, a]));
    expect(Object.keys(byKind).sort()).toEqual(['broken_promise', 'late_vs_habit', 'over_credit_limit', 'partial_payment', 'unallocated']);
    expect(byKind.late_vs_habit).toMatchObject({
      key: gamma.id, customerId: gamma.id, customerName: 'Gamma SARL', asOf: '2026-06-30', raisedAt: '2026-06-30T08:00:00.000Z', clearedAt: null,
      // Habit: (100×10 + 300×0 + 200×20 + 200×17) / 800 = 10.5 days; G4 is 46 days past due > 10.5 + 15.
      figures: { habitDaysBeyondTerms: 10.5, maxDaysPastDue: 46, toleranceDays: 15, invoices: 1, paidInvoicesInHabit: 4 },
    });
    expect(byKind.partial_payment).toMatchObject({
      key: g4.id, currency: 'EUR',
      figures: { invoiceId: g4.id, number: 'G4', totalMinor: 50000, paidMinor: 20000, openMinor: 30000, dueDate: '2026-05-15' },
    });
    expect(byKind.unallocated).toMatchObject({
      key: pg6.id, figures: { type: 'payment', id: pg6.id, date: '2026-06-25', amountMinor: 5000, unallocatedMinor: 5000 },
    });
    expect(byKind.over_credit_limit).toMatchObject({
      key: `${gamma.id}:EUR`, figures: { encoursMinor: 115000, creditLimitMinor: 100000, overMinor: 15000 },
    });
    expect(byKind.broken_promise).toMatchObject({
      key: promiseId, figures: { promiseId, promisedDate: '2026-06-15', graceDays: 3, amountMinor: 30000, paidMinor: 20000 },
    });
    expect(events.map((e) => [e.type, e.alert.kind]).sort()).toEqual([
      ['raised', 'broken_promise'], ['raised', 'late_vs_habit'], ['raised', 'over_credit_limit'], ['raised', 'partial_payment'], ['raised', 'unallocated'],
    ]);

    // Nothing changed: nothing emitted.
    events.length = 0;
    expect(await t.app.get(AlertsService).evaluate(tenant.tenantId)).toEqual({ asOf: '2026-06-30', raised: 0, cleared: 0, open: 5 });
    expect(events).toEqual([]);

    // P-G6 applied to G4: the unallocated alert clears; G4 stays partly paid with new figures.
    await anAllocation(s, { invoiceId: g4.id, paymentId: pg6.id }, { amountMinor: 5000, date: '2026-06-30' });
    t.clock.set('2026-06-30T12:00:00Z');
    expect(await t.app.get(AlertsService).evaluate(tenant.tenantId)).toEqual({ asOf: '2026-06-30', raised: 0, cleared: 1, open: 4 });
    expect(events.map((e) => [e.type, e.alert.kind, e.alert.clearedAt])).toEqual([['cleared', 'unallocated', '2026-06-30T12:00:00.000Z']]);
    const partial = await t.http().get('/v1/alerts?kind=partial_payment').set(bearer(tenant.adminKey)).expect(200);
    expect(partial.body.items[0].figures).toMatchObject({ paidMinor: 25000, openMinor: 25000 });
    const cleared = await t.http().get('/v1/alerts?status=cleared').set(bearer(tenant.adminKey)).expect(200);
    expect(cleared.body.items.map((a: { kind: string }) => a.kind)).toEqual(['unallocated']);
    sub.unsubscribe();
  });

  it('lets only operators evaluate', async () => {
    await t.http().post('/v1/alerts/evaluate').set(bearer(await tenant.key('viewer'))).expect(403);
  });
});
