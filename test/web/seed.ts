import { aCustomer, anAllocation, anInvoice, aPayment, type LedgerScope } from '../helpers/factories';
import { bearer, createTenant, type TestApp, type TestTenant } from '../helpers/app';

export interface SeededLedger {
  tenant: TestTenant;
  connectionId: string;
  dupont: { id: string; externalId: string };
  martin: { id: string; externalId: string };
  invoices: { inv1: string; inv2: string; inv3: string };
}

/**
 * The browser tests' ledger (clock 2026-01-15), through the API (tenant, connection) and the
 * factories (ledger rows):
 *   Dupont SA   INV-1 1 234,56 € due 2025-12-15, 200,00 € paid → 1 034,56 € overdue (31 days)
 *               INV-2   500,00 € due 2026-02-14                →   500,00 € not yet due
 *   Martin SARL INV-3 10 000,00 € due 2025-10-01               → 10 000,00 € overdue (106 days)
 * Encours 11 534,56 €, overdue 11 034,56 €, not yet due 500,00 €.
 */
export async function seedLedger(t: TestApp): Promise<SeededLedger> {
  const tenant = await createTenant(t, 'Acme SAS');
  const conn = await t
    .http()
    .post('/v1/connections')
    .set(bearer(tenant.adminKey))
    .send({ provider: 'test', name: 'Grand livre', credentials: { token: 'secret' } })
    .expect(201);
  const s: LedgerScope = { ds: t.ds, tenantId: tenant.tenantId, connectionId: conn.body.id };
  const dupont = await aCustomer(s, { name: 'Dupont SA', emails: ['compta@dupont.example'] });
  const martin = await aCustomer(s, { name: 'Martin SARL' });
  const inv1 = await anInvoice(s, dupont, { number: 'INV-1', issueDate: '2025-11-15', dueDate: '2025-12-15', totalMinor: 123456 });
  const inv2 = await anInvoice(s, dupont, { number: 'INV-2', issueDate: '2026-01-14', dueDate: '2026-02-14', totalMinor: 50000 });
  const inv3 = await anInvoice(s, martin, { number: 'INV-3', issueDate: '2025-09-01', dueDate: '2025-10-01', totalMinor: 1000000 });
  const pay = await aPayment(s, dupont, { date: '2026-01-05', amountMinor: 20000, reference: 'VIR DUPONT' });
  await anAllocation(s, { invoiceId: inv1.id, paymentId: pay.id }, { amountMinor: 20000, date: '2026-01-05' });
  return { tenant, connectionId: conn.body.id, dupont, martin, invoices: { inv1: inv1.id, inv2: inv2.id, inv3: inv3.id } };
}
