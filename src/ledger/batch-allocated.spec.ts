import type { NormalizedAllocation, NormalizedInvoice, NormalizedPayment } from '../connectors/connector';
import { batchAllocated } from './batch-allocated';

const anInvoice = (externalId: string, over: Partial<NormalizedInvoice> = {}): NormalizedInvoice => ({
  externalId, customerExternalId: 'C', kind: 'invoice', number: externalId, issueDate: '2026-01-10', dueDate: null,
  currency: 'EUR', totalMinor: 10000n, status: 'open', ...over,
});
const aPayment = (externalId: string): NormalizedPayment => ({ externalId, customerExternalId: 'C', date: '2026-02-01', currency: 'EUR', amountMinor: 10000n });
const anAllocation = (externalId: string, over: Partial<NormalizedAllocation>): NormalizedAllocation => ({
  externalId, invoiceExternalId: 'I1', amountMinor: 1000n, currency: 'EUR', date: '2026-02-01', ...over,
});
const plain = (r: ReturnType<typeof batchAllocated>) => ({
  invoices: Object.fromEntries(r.invoices),
  payments: Object.fromEntries(r.payments),
  counted: [...r.counted].sort(),
});

describe('batchAllocated', () => {
  it('sums the allocations whose two ends are in the batch, per end', () => {
    const r = batchAllocated(
      [anInvoice('I1'), anInvoice('I2'), anInvoice('CN1', { kind: 'credit_note' })],
      [aPayment('P1')],
      [
        anAllocation('A1', { paymentExternalId: 'P1', amountMinor: 2500n }),
        anAllocation('A2', { invoiceExternalId: 'I2', paymentExternalId: 'P1', amountMinor: 1500n }),
        anAllocation('A3', { creditNoteExternalId: 'CN1', amountMinor: 700n }),
      ],
    );
    expect(plain(r)).toEqual({ invoices: { I1: 3200n, I2: 1500n, CN1: 700n }, payments: { P1: 4000n }, counted: ['A1', 'A2', 'A3'] });
  });

  it('leaves out what the batch cannot vouch for: an end outside it, a void end, a credit note that is an invoice', () => {
    const r = batchAllocated(
      [anInvoice('I1'), anInvoice('IV', { status: 'void' }), anInvoice('CNV', { kind: 'credit_note', status: 'void' }), anInvoice('I2')],
      [aPayment('P1')],
      [
        anAllocation('A1', { paymentExternalId: 'P-elsewhere', creditNoteExternalId: 'CNV' }),
        anAllocation('A2', { invoiceExternalId: 'I-elsewhere', paymentExternalId: 'P1' }),
        anAllocation('A3', { invoiceExternalId: 'IV', paymentExternalId: 'P1' }),
        anAllocation('A4', { creditNoteExternalId: 'CNV' }),
        anAllocation('A5', { creditNoteExternalId: 'I2' }),
        anAllocation('A6', {}),
      ],
    );
    expect(plain(r)).toEqual({ invoices: {}, payments: {}, counted: [] });
  });

  it('gives a payment precedence over a credit note, as the triggers do', () => {
    const r = batchAllocated([anInvoice('I1'), anInvoice('CN1', { kind: 'credit_note' })], [aPayment('P1')], [
      anAllocation('A1', { paymentExternalId: 'P1', creditNoteExternalId: 'CN1', amountMinor: 900n }),
    ]);
    expect(plain(r)).toEqual({ invoices: { I1: 900n }, payments: { P1: 900n }, counted: ['A1'] });
  });
});
