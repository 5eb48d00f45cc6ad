import { bearer, createTenant, startTestApp, TestApp, TestTenant } from '../helpers/app';
import { aConnection, aCustomer, anInvoice, aPayment, LedgerScope } from '../helpers/factories';

/**
 * Invoice numbers in payment references, whole tokens only, case-insensitive, plain ASCII or
 * not (the ASCII shortcut and the pattern must agree): FA-1, FA-10, FA-101 and FA-1010 of one
 * customer, and payments whose amounts match no invoice or set of invoices.
 */
describe('reconciliation: invoice numbers in references', () => {
  let t: TestApp;
  let tenant: TestTenant;
  const number: Record<string, string> = {};
  const payment: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createTenant(t);
    const s: LedgerScope = { ds: t.ds, tenantId: tenant.tenantId, connectionId: await aConnection(t.ds, tenant.tenantId) };
    const c = await aCustomer(s, { externalId: 'IOTA', name: 'Iota SARL' });
    for (const [n, total, due] of [['FA-1', 50000, '2026-01-31'], ['FA-10', 70000, '2026-02-10'], ['FA-101', 90000, '2026-02-20'], ['FA-1010', 110000, '2026-02-28']] as const) {
      number[(await anInvoice(s, c, { number: n, issueDate: '2026-01-01', dueDate: due, totalMinor: total })).id] = n;
    }
    const payments: Array<[string, string, number, string]> = [
      ['P-PAREN', '2026-03-01', 30000, 'Paiement (FA-1)'],
      ['P-ACCENT', '2026-03-02', 10000, 'ÉCHÉANCE fa-1'],
      ['P-LOWER', '2026-03-03', 20000, 'Règlement fa-10 merci'],
      // The first "FA-101" is inside FA-1010; the second stands alone: both invoices named.
      ['P-TWO', '2026-03-04', 200000, 'FA-1010 puis FA-101'],
      ['P-GLUED', '2026-03-05', 12300, 'VIRFA-1X'],
      ['P-TAIL', '2026-03-06', 4500, 'ref FA-10/2'],
    ];
    for (const [ext, date, amountMinor, reference] of payments) payment[(await aPayment(s, c, { externalId: ext, date, amountMinor, reference })).id] = ext;
  });

  afterAll(() => t.close());

  it('matches whole numbers only, in ASCII and accented references alike', async () => {
    const res = await t.http().post('/v1/reconciliation/run').set(bearer(tenant.adminKey)).expect(200);
    expect(res.body.allocated).toEqual({ reference: 6, exact_amount: 0, amount_set: 0, oldest_first: 0 });
    const rows: Array<{ payment_id: string; invoice_id: string; amount: number; confidence: number }> = await t.ds.query(
      `SELECT payment_id, invoice_id, amount_minor::int AS amount, confidence FROM allocations WHERE tenant_id = $1 AND method = 'reference' AND deleted_at IS NULL`,
      [tenant.tenantId],
    );
    expect(rows.map((r) => `${payment[r.payment_id]} ${number[r.invoice_id]} ${r.amount} ${r.confidence}`).sort()).toEqual([
      'P-ACCENT FA-1 10000 85',
      'P-LOWER FA-10 20000 85',
      'P-PAREN FA-1 30000 85',
      'P-TAIL FA-10 4500 85',
      'P-TWO FA-101 90000 95',
      'P-TWO FA-1010 110000 95',
    ]);
  });
});
