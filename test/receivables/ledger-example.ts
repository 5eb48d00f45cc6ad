import type { DataSource } from 'typeorm';
import { aConnection, aCustomer, anAllocation, anInvoice, aPayment, LedgerScope } from '../helpers/factories';

/**
 * A small ledger with every case the receivables figures must handle, written out so that
 * each expected figure can be worked by hand (see aged-balance.test.ts).
 *
 * Books FR (EUR), Alpha SARL, terms 30:
 *   INV-1   issued 2026-01-01, due 2026-01-31, 1 200.00; P-1 500.00 on 2026-02-15 allocated to it (partial payment)
 *   INV-2   issued 2026-03-01, due 2026-03-31,   300.00; P-4 100.00 dated 2026-02-20, allocated on 2026-03-05
 *   INV-3   issued 2025-11-01, due 2025-11-30,   450.50; CN-1 50.00 issued 2026-03-10 allocated to it (credit note)
 *   P-2     200.00 on 2026-03-20, unallocated (overpayment)
 *   INV-4   issued 2026-04-02, 999.00            (after the as-of date)
 *   P-3     100.00 on 2026-04-05 allocated to INV-2 on 2026-04-05 (after the as-of date)
 *   INV-5   777.00, void
 * Books DE, Beta GmbH:
 *   INV-B1  issued 2026-02-01, due 2026-03-03, USD 1 000.00; P-B1 USD 400.00 on 2026-03-25 allocated to it
 *   INV-B2  issued 2026-03-15, due 2026-04-14, EUR 250.00
 */
export async function buildExampleLedger(ds: DataSource, tenantId: string) {
  const fr: LedgerScope = { ds, tenantId, connectionId: await aConnection(ds, tenantId, { name: 'Books FR' }) };
  const de: LedgerScope = { ds, tenantId, connectionId: await aConnection(ds, tenantId, { name: 'Books DE' }) };
  const alpha = await aCustomer(fr, { externalId: 'C-ALPHA', name: 'Alpha SARL', termsDays: 30, creditLimitMinor: 100000 });
  const beta = await aCustomer(de, { externalId: 'C-BETA', name: 'Beta GmbH', currency: 'USD' });

  const inv1 = await anInvoice(fr, alpha, { number: 'INV-1', issueDate: '2026-01-01', dueDate: '2026-01-31', totalMinor: 120000 });
  const inv2 = await anInvoice(fr, alpha, { number: 'INV-2', issueDate: '2026-03-01', dueDate: '2026-03-31', totalMinor: 30000 });
  const inv3 = await anInvoice(fr, alpha, { number: 'INV-3', issueDate: '2025-11-01', dueDate: '2025-11-30', totalMinor: 45050 });
  const cn1 = await anInvoice(fr, alpha, { number: 'CN-1', kind: 'credit_note', issueDate: '2026-03-10', dueDate: null, totalMinor: 5000 });
  await anInvoice(fr, alpha, { number: 'INV-4', issueDate: '2026-04-02', dueDate: '2026-05-02', totalMinor: 99900 });
  await anInvoice(fr, alpha, { number: 'INV-5', issueDate: '2026-01-05', dueDate: '2026-02-04', totalMinor: 77700, status: 'void' });
  const p1 = await aPayment(fr, alpha, { externalId: 'P-1', date: '2026-02-15', amountMinor: 50000 });
  const p2 = await aPayment(fr, alpha, { externalId: 'P-2', date: '2026-03-20', amountMinor: 20000 });
  const p3 = await aPayment(fr, alpha, { externalId: 'P-3', date: '2026-04-05', amountMinor: 10000 });
  const p4 = await aPayment(fr, alpha, { externalId: 'P-4', date: '2026-02-20', amountMinor: 10000 });
  await anAllocation(fr, { invoiceId: inv1.id, paymentId: p1.id }, { amountMinor: 50000, date: '2026-02-15' });
  await anAllocation(fr, { invoiceId: inv3.id, creditNoteId: cn1.id }, { amountMinor: 5000, date: '2026-03-10' });
  await anAllocation(fr, { invoiceId: inv2.id, paymentId: p3.id }, { amountMinor: 10000, date: '2026-04-05' });
  await anAllocation(fr, { invoiceId: inv2.id, paymentId: p4.id }, { amountMinor: 10000, date: '2026-03-05' });

  const b1 = await anInvoice(de, beta, { number: 'INV-B1', issueDate: '2026-02-01', dueDate: '2026-03-03', currency: 'USD', totalMinor: 100000 });
  const b2 = await anInvoice(de, beta, { number: 'INV-B2', issueDate: '2026-03-15', dueDate: '2026-04-14', currency: 'EUR', totalMinor: 25000 });
  const pb1 = await aPayment(de, beta, { externalId: 'P-B1', date: '2026-03-25', currency: 'USD', amountMinor: 40000 });
  await anAllocation(de, { invoiceId: b1.id, paymentId: pb1.id }, { amountMinor: 40000, date: '2026-03-25', currency: 'USD' });

  return { fr, de, alpha, beta, inv1, inv2, inv3, cn1, p2, b1, b2 };
}
