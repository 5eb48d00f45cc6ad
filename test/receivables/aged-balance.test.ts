import { bearer, createTenant, startTestApp, TestApp, TestTenant } from '../helpers/app';
import { renderReport } from '../../src/dunning/analytics/report.commands';
import { aCustomer, anInvoice, aPayment } from '../helpers/factories';
import { buildExampleLedger } from './ledger-example';

describe('aged balance and encours', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let ex: Awaited<ReturnType<typeof buildExampleLedger>>;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createTenant(t);
    ex = await buildExampleLedger(t.ds, tenant.tenantId);
    // A dispute on INV-3 opened 2026-03-15 (whole amount) and one on INV-1 resolved before the as-of date.
    await t.ds.query(
      `INSERT INTO disputes (tenant_id, invoice_id, customer_id, reason, opened_at, opened_by, status, resolved_at, resolved_by)
       VALUES ($1, $2, $3, 'wrong quantity', '2026-03-15T10:00:00Z', 'key-1', 'open', NULL, NULL),
              ($1, $4, $3, 'late delivery', '2026-03-01T10:00:00Z', 'key-1', 'resolved', '2026-03-20T10:00:00Z', 'key-1')`,
      [tenant.tenantId, ex.inv3.id, ex.alpha.id, ex.inv1.id],
    );
  });

  afterAll(() => t.close());

  const zeroBuckets = { current: 0, '1-30': 0, '31-60': 0, '61-90': 0, '91-120': 0, '>120': 0 };

  it('ages open items as of 2026-03-31, per customer and currency, with totals per currency', async () => {
    const res = await t.http().get('/v1/reports/aged-balance?asOf=2026-03-31').set(bearer(tenant.adminKey)).expect(200);
    expect(res.body).toEqual({
      asOf: '2026-03-31',
      buckets: ['current', '1-30', '31-60', '61-90', '91-120', '>120'],
      rows: [
        // INV-2 300.00 − P-4 100.00 due today: current; P-2 overpayment 11 days old: 1-30;
        // INV-1 1 200.00 − 500.00, 59 days late: 31-60; INV-3 450.50 − CN-1 50.00, 121 days late: >120.
        { customerRef: 'C-ALPHA', name: 'Alpha SARL', currency: 'EUR', bucketsMinor: { ...zeroBuckets, current: 20000, '1-30': -20000, '31-60': 70000, '>120': 40050 }, totalMinor: 110050 },
        { customerRef: 'C-BETA', name: 'Beta GmbH', currency: 'EUR', bucketsMinor: { ...zeroBuckets, current: 25000 }, totalMinor: 25000 },
        { customerRef: 'C-BETA', name: 'Beta GmbH', currency: 'USD', bucketsMinor: { ...zeroBuckets, '1-30': 60000 }, totalMinor: 60000 },
      ],
      totals: [
        { currency: 'EUR', bucketsMinor: { ...zeroBuckets, current: 45000, '1-30': -20000, '31-60': 70000, '>120': 40050 }, totalMinor: 135050 },
        { currency: 'USD', bucketsMinor: { ...zeroBuckets, '1-30': 60000 }, totalMinor: 60000 },
      ],
    });
  });

  it('ignores invoices, payments and allocations dated after a past as-of date', async () => {
    const res = await t.http().get('/v1/reports/aged-balance?asOf=2026-02-28').set(bearer(tenant.adminKey)).expect(200);
    // INV-1 700.00 28 days late; P-4 (allocated only on 2026-03-05) still unallocated, 8 days old;
    // INV-3 450.50 90 days late (CN-1 not issued yet); INV-B1 not due yet; INV-2, INV-B2, P-2 not there yet.
    expect(res.body.rows).toEqual([
      { customerRef: 'C-ALPHA', name: 'Alpha SARL', currency: 'EUR', bucketsMinor: { ...zeroBuckets, '1-30': 60000, '61-90': 45050 }, totalMinor: 105050 },
      { customerRef: 'C-BETA', name: 'Beta GmbH', currency: 'USD', bucketsMinor: { ...zeroBuckets, current: 100000 }, totalMinor: 100000 },
    ]);
    expect(res.body.totals).toEqual([
      { currency: 'EUR', bucketsMinor: { ...zeroBuckets, '1-30': 60000, '61-90': 45050 }, totalMinor: 105050 },
      { currency: 'USD', bucketsMinor: { ...zeroBuckets, current: 100000 }, totalMinor: 100000 },
    ]);
  });

  it('takes bucket bounds from the query or the tenant settings', async () => {
    const res = await t.http().get('/v1/reports/aged-balance?asOf=2026-03-31&buckets=60,120').set(bearer(tenant.adminKey)).expect(200);
    expect(res.body.buckets).toEqual(['current', '1-60', '61-120', '>120']);
    expect(res.body.totals[0]).toEqual({ currency: 'EUR', bucketsMinor: { current: 45000, '1-60': 50000, '61-120': 0, '>120': 40050 }, totalMinor: 135050 });

    await t.ds.query(`UPDATE tenants SET settings = '{"aging": {"buckets": [45]}}' WHERE id = $1`, [tenant.tenantId]);
    const tuned = await t.http().get('/v1/reports/aged-balance?asOf=2026-03-31').set(bearer(tenant.adminKey)).expect(200);
    expect(tuned.body.totals[0]).toEqual({ currency: 'EUR', bucketsMinor: { current: 45000, '1-45': -20000, '>45': 110050 }, totalMinor: 135050 });
    await t.ds.query(`UPDATE tenants SET settings = '{}' WHERE id = $1`, [tenant.tenantId]);

    const bad = await t.http().get('/v1/reports/aged-balance?buckets=60,30').set(bearer(tenant.adminKey)).expect(400);
    expect(bad.body.errors).toEqual([{ field: 'buckets', message: 'must be 1 to 12 increasing day counts, e.g. 30,60,90,120' }]);
  });

  it('answers CSV with decimal amounts', async () => {
    const res = await t.http().get('/v1/reports/aged-balance?asOf=2026-03-31&format=csv').set(bearer(tenant.adminKey)).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.text).toBe(
      'customerRef,name,currency,current,1-30,31-60,61-90,91-120,>120,total\r\n' +
        'C-ALPHA,Alpha SARL,EUR,200.00,-200.00,700.00,0.00,0.00,400.50,1100.50\r\n' +
        'C-BETA,Beta GmbH,EUR,250.00,0.00,0.00,0.00,0.00,0.00,250.00\r\n' +
        'C-BETA,Beta GmbH,USD,0.00,600.00,0.00,0.00,0.00,0.00,600.00\r\n' +
        'TOTAL,,EUR,450.00,-200.00,700.00,0.00,0.00,400.50,1350.50\r\n' +
        'TOTAL,,USD,0.00,600.00,0.00,0.00,0.00,0.00,600.00\r\n',
    );
  });

  it('gives encours per customer, per company and per tenant, disputes shown apart', async () => {
    const res = await t.http().get('/v1/reports/encours?asOf=2026-03-31').set(bearer(tenant.adminKey)).expect(200);
    const conns: Array<{ id: string; name: string }> = await t.ds.query(`SELECT id, name FROM connections WHERE tenant_id = $1`, [tenant.tenantId]);
    const conn = (name: string) => conns.find((c) => c.name === name)!.id;
    expect(res.body).toEqual({
      asOf: '2026-03-31',
      customers: [
        {
          customerId: ex.alpha.id, customerRef: 'C-ALPHA', name: 'Alpha SARL', connectionId: conn('Books FR'), currency: 'EUR',
          totalMinor: 110050, notDueMinor: 20000, overdueMinor: 110050, unallocatedMinor: -20000, disputedMinor: 40050,
          openInvoices: 3, creditLimitMinor: 100000,
        },
        {
          customerId: ex.beta.id, customerRef: 'C-BETA', name: 'Beta GmbH', connectionId: conn('Books DE'), currency: 'EUR',
          totalMinor: 25000, notDueMinor: 25000, overdueMinor: 0, unallocatedMinor: 0, disputedMinor: 0, openInvoices: 1, creditLimitMinor: null,
        },
        {
          customerId: ex.beta.id, customerRef: 'C-BETA', name: 'Beta GmbH', connectionId: conn('Books DE'), currency: 'USD',
          totalMinor: 60000, notDueMinor: 0, overdueMinor: 60000, unallocatedMinor: 0, disputedMinor: 0, openInvoices: 1, creditLimitMinor: null,
        },
      ],
      companies: [
        { connectionId: conn('Books DE'), name: 'Books DE', currency: 'EUR', totalMinor: 25000, notDueMinor: 25000, overdueMinor: 0, unallocatedMinor: 0, disputedMinor: 0 },
        { connectionId: conn('Books DE'), name: 'Books DE', currency: 'USD', totalMinor: 60000, notDueMinor: 0, overdueMinor: 60000, unallocatedMinor: 0, disputedMinor: 0 },
        { connectionId: conn('Books FR'), name: 'Books FR', currency: 'EUR', totalMinor: 110050, notDueMinor: 20000, overdueMinor: 110050, unallocatedMinor: -20000, disputedMinor: 40050 },
      ],
      totals: [
        { currency: 'EUR', totalMinor: 135050, notDueMinor: 45000, overdueMinor: 110050, unallocatedMinor: -20000, disputedMinor: 40050 },
        { currency: 'USD', totalMinor: 60000, notDueMinor: 0, overdueMinor: 60000, unallocatedMinor: 0, disputedMinor: 0 },
      ],
    });
  });

  it('answers only what a dashboard needs: encours totals (detail=totals), the largest aged rows (top)', async () => {
    // The totals are summed in the database (no customer rows): the same as the full report's, filters and dates included,
    // with a dispute for part of an invoice (INV-B1: 250.00 of the 600.00 still open).
    await t.ds.query(
      `INSERT INTO disputes (tenant_id, invoice_id, customer_id, reason, amount_minor, opened_at, opened_by) VALUES ($1, $2, $3, 'quantity', 25000, '2026-03-20T09:00:00Z', 'k')`,
      [tenant.tenantId, ex.b1.id, ex.beta.id],
    );
    const usd = (await t.http().get('/v1/reports/encours?asOf=2026-03-31&detail=totals').set(bearer(tenant.adminKey)).expect(200)).body.totals[1];
    expect(usd).toEqual({ currency: 'USD', totalMinor: 60000, notDueMinor: 0, overdueMinor: 60000, unallocatedMinor: 0, disputedMinor: 25000 });
    for (const q of ['asOf=2026-03-31', 'asOf=2026-03-10', `asOf=2026-03-10&customer=${ex.alpha.id}`, `asOf=2026-03-31&customer=${ex.beta.id}`]) {
      const full = (await t.http().get(`/v1/reports/encours?${q}`).set(bearer(tenant.adminKey)).expect(200)).body;
      const totals = (await t.http().get(`/v1/reports/encours?${q}&detail=totals`).set(bearer(tenant.adminKey)).expect(200)).body;
      expect({ q, totals }).toEqual({ q, totals: { asOf: full.asOf, totals: full.totals } });
      expect(totals.totals.length).toBeGreaterThan(0);
    }
    const aged = (await t.http().get('/v1/reports/aged-balance?asOf=2026-03-31').set(bearer(tenant.adminKey)).expect(200)).body;
    const top = (await t.http().get('/v1/reports/aged-balance?asOf=2026-03-31&top=2').set(bearer(tenant.adminKey)).expect(200)).body;
    // C-ALPHA EUR 1 100.50, then C-BETA USD 600.00; C-BETA EUR 250.00 left out; totals unchanged.
    expect(top.rows.map((r: { customerRef: string; currency: string }) => `${r.customerRef} ${r.currency}`)).toEqual(['C-ALPHA EUR', 'C-BETA USD']);
    expect(top.totals).toEqual(aged.totals);
    // Picked in the database: the full report's rows, largest total first (ties in the report's order), cut at `top`.
    // Two customers tie at 9 000.00; a third owes nothing in any bucket (an invoice and an unallocated payment of the
    // same amount and age) and is no row at all.
    for (const name of ['Tie B', 'Tie A']) {
      const c = await aCustomer(ex.fr, { externalId: `C-${name.replace(' ', '-').toUpperCase()}`, name });
      await anInvoice(ex.fr, c, { issueDate: '2026-01-05', dueDate: '2026-02-04', totalMinor: 900000 });
    }
    const zero = await aCustomer(ex.fr, { externalId: 'C-ZERO', name: 'Zero SA' });
    await anInvoice(ex.fr, zero, { issueDate: '2026-01-20', dueDate: '2026-03-01', totalMinor: 30000 });
    await aPayment(ex.fr, zero, { date: '2026-03-01', amountMinor: 30000 });
    const ties = (await t.http().get('/v1/reports/aged-balance?asOf=2026-03-31&top=3').set(bearer(tenant.adminKey)).expect(200)).body;
    expect(ties.rows.map((r: { customerRef: string; totalMinor: number }) => `${r.customerRef} ${r.totalMinor}`)).toEqual(['C-TIE-A 900000', 'C-TIE-B 900000', 'C-ALPHA 110050']);
    for (const q of ['asOf=2026-03-31', 'asOf=2026-03-10', 'asOf=2026-03-31&buckets=15,45']) {
      const all = (await t.http().get(`/v1/reports/aged-balance?${q}`).set(bearer(tenant.adminKey)).expect(200)).body;
      for (const n of [1, 3, 100]) {
        const picked = (await t.http().get(`/v1/reports/aged-balance?${q}&top=${n}`).set(bearer(tenant.adminKey)).expect(200)).body;
        const rows = [...all.rows].sort((a: { totalMinor: number }, b: { totalMinor: number }) => b.totalMinor - a.totalMinor).slice(0, n);
        expect({ q, n, picked }).toEqual({ q, n, picked: { ...all, rows } });
      }
    }
    const bad = await t.http().get('/v1/reports/aged-balance?top=0&detail=x').set(bearer(tenant.adminKey)).expect(400);
    expect(JSON.stringify(bad.body)).toContain('top');
    await t.http().get('/v1/reports/encours?detail=everything').set(bearer(tenant.adminKey)).expect(400);
  });

  it('counts a dispute only while open at the as-of date', async () => {
    const before = await t.http().get(`/v1/reports/encours?asOf=2026-03-10&customer=${ex.alpha.id}`).set(bearer(tenant.adminKey)).expect(200);
    // 2026-03-10: INV-1 700.00 (its dispute is open), INV-3 400.50, INV-2 200.00 not due; CN-1 is allocated.
    expect(before.body.customers).toEqual([
      expect.objectContaining({ customerRef: 'C-ALPHA', totalMinor: 130050, notDueMinor: 20000, overdueMinor: 110050, unallocatedMinor: 0, disputedMinor: 70000 }),
    ]);
  });

  it('answers 400 to a malformed date and 401 without a key', async () => {
    const bad = await t.http().get('/v1/reports/encours?asOf=2026-02-30').set(bearer(tenant.adminKey)).expect(400);
    expect(bad.body.errors[0].field).toBe('asOf');
    await t.http().get('/v1/reports/encours').expect(401);
  });
});

describe('report command line', () => {
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createTenant(t);
    await buildExampleLedger(t.ds, tenant.tenantId);
  });

  afterAll(() => t.close());

  it('prints the aged balance as JSON (the API shape), CSV and a table', async () => {
    const json = JSON.parse(await renderReport(t.app, 'aged-balance', { tenant: tenant.tenantId, asOf: '2026-03-31', json: true }));
    const api = await t.http().get('/v1/reports/aged-balance?asOf=2026-03-31').set(bearer(tenant.adminKey)).expect(200);
    expect(json).toEqual(api.body);
    const csv = await renderReport(t.app, 'aged-balance', { tenant: tenant.tenantId, asOf: '2026-03-31', csv: true });
    expect(csv.split('\r\n')[4]).toBe('TOTAL,,EUR,450.00,-200.00,700.00,0.00,0.00,400.50,1350.50');
    const text = await renderReport(t.app, 'aged-balance', { tenant: tenant.tenantId, asOf: '2026-03-31', buckets: '60' });
    expect(text.split('\n')).toEqual([
      'Aged balance as of 2026-03-31',
      'customer  name        cur  current    1-60     >60    total',
      '--------  ----------  ---  -------  ------  ------  -------',
      'C-ALPHA   Alpha SARL  EUR   200.00  500.00  400.50  1100.50',
      'C-BETA    Beta GmbH   EUR   250.00    0.00    0.00   250.00',
      'C-BETA    Beta GmbH   USD     0.00  600.00    0.00   600.00',
      'TOTAL                 EUR   450.00  500.00  400.50  1350.50',
      'TOTAL                 USD     0.00  600.00    0.00   600.00',
      '',
    ]);
  });

  it('prints encours, DSO and forecast', async () => {
    const encours = await renderReport(t.app, 'encours', { tenant: tenant.tenantId, asOf: '2026-03-31' });
    expect(encours.split('\n').slice(-3, -1)).toEqual([
      'tenant             TOTAL       EUR  1350.50   450.00  1100.50      -200.00      0.00',
      'tenant             TOTAL       USD   600.00     0.00   600.00         0.00      0.00',
    ]);
    const dso = JSON.parse(await renderReport(t.app, 'dso', { tenant: tenant.tenantId, asOf: '2026-03-31', json: true }));
    expect(dso.tenant.map((l: { currency: string; receivablesMinor: number }) => [l.currency, l.receivablesMinor])).toEqual([['EUR', 135050], ['USD', 60000]]);
    const forecast = JSON.parse(await renderReport(t.app, 'forecast', { tenant: tenant.tenantId, asOf: '2026-03-31', json: true }));
    expect(forecast.currencies.map((c: { currency: string; openMinor: number }) => [c.currency, c.openMinor])).toEqual([['EUR', 155050], ['USD', 60000]]);
  });
});
