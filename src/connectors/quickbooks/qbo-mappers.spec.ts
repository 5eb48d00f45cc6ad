import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { VendorRecordError } from '../vendor-record';
import { mapQboCreditMemo, mapQboCustomer, mapQboInvoice, mapQboPayment } from './qbo-mappers';

const fixture = (name: string) => JSON.parse(readFileSync(path.join(__dirname, '../../../test/fixtures/quickbooks', name), 'utf8'));
const ctx = { homeCurrency: 'USD' };

describe('QuickBooks mappers', () => {
  it('maps customers, inactive ones included, with split e-mail lists', () => {
    const [amy, sgv] = fixture('customers.json').QueryResponse.Customer;
    expect(mapQboCustomer(amy, ctx)).toEqual({
      externalId: '58',
      name: "Amy's Bird Sanctuary",
      emails: ['Birds@Intuit.com'],
      phones: ['(650) 555-3311'],
      currency: 'USD',
      company: "Amy's Bird Sanctuary",
      taxId: null,
    });
    expect(mapQboCustomer(sgv, ctx)).toMatchObject({
      externalId: '59',
      name: 'Volières SGV',
      emails: ['compta@volieres.example', 'relances@volieres.example'],
      phones: ['+33 6 12 34 56 78'],
      currency: 'EUR',
    });
  });

  it('maps an open invoice to exact minor units', () => {
    expect(mapQboInvoice(fixture('invoice.json'), ctx)).toEqual({
      externalId: '130',
      customerExternalId: '58',
      kind: 'invoice',
      number: '1037',
      issueDate: '2026-01-06',
      dueDate: '2026-02-05',
      currency: 'USD',
      totalMinor: 125050n,
      status: 'open',
      currencyRate: null,
      reference: null,
    });
  });

  it('recognizes a voided invoice (amounts zeroed, PrivateNote "Voided")', () => {
    expect(mapQboInvoice(fixture('invoice-voided.json'), ctx)).toMatchObject({ externalId: '207', totalMinor: 0n, status: 'void' });
  });

  it('keeps the currency and exchange rate of a foreign-currency invoice; balance 0 = paid', () => {
    expect(mapQboInvoice(fixture('invoice-eur.json'), ctx)).toMatchObject({
      currency: 'EUR',
      totalMinor: 98010n,
      currencyRate: '1.0863',
      status: 'paid',
    });
  });

  it('uses the home currency when CurrencyRef is absent', () => {
    const inv = fixture('invoice.json');
    delete inv.CurrencyRef;
    expect(mapQboInvoice(inv, { homeCurrency: 'CAD' }).currency).toBe('CAD');
  });

  it('maps a credit memo with a prefixed id', () => {
    expect(mapQboCreditMemo(fixture('credit-memo.json'), ctx)).toEqual({
      externalId: 'CreditMemo:73',
      customerExternalId: '58',
      kind: 'credit_note',
      number: '1026',
      issueDate: '2026-01-09',
      dueDate: null,
      currency: 'USD',
      totalMinor: 25020n,
      status: 'paid',
      currencyRate: null,
      reference: null,
    });
  });

  it('splits a payment applying a credit memo across two invoices', () => {
    const { payment, allocations } = mapQboPayment(fixture('payment.json'), ctx) as { payment: object; allocations: Array<{ paymentExternalId?: string | null; amountMinor: bigint }> };
    expect(payment).toEqual({
      externalId: '163',
      customerExternalId: '58',
      kind: 'payment',
      date: '2026-01-12',
      currency: 'USD',
      amountMinor: 110030n,
      method: 'Check',
      reference: 'CHK-2231',
    });
    expect(allocations).toEqual([
      { externalId: '163:CreditMemo:73:130', invoiceExternalId: '130', creditNoteExternalId: 'CreditMemo:73', paymentExternalId: null, amountMinor: 25020n, currency: 'USD', date: '2026-01-12' },
      { externalId: '163:130', invoiceExternalId: '130', paymentExternalId: '163', creditNoteExternalId: null, amountMinor: 75030n, currency: 'USD', date: '2026-01-12' },
      { externalId: '163:132', invoiceExternalId: '132', paymentExternalId: '163', creditNoteExternalId: null, amountMinor: 35000n, currency: 'USD', date: '2026-01-12' },
    ]);
    const paid = allocations.filter((a) => a.paymentExternalId).reduce((s, a) => s + a.amountMinor, 0n);
    expect(paid).toBe(110030n);
  });

  it('turns a voided payment (zeroed, PrivateNote "Voided") into its tombstone', () => {
    const voided = { ...fixture('payment.json'), TotalAmt: 0, PrivateNote: 'Voided', Line: [] };
    expect(mapQboPayment(voided, ctx)).toEqual({ voided: { entity: 'payment', externalId: '163' } });
  });

  it('rejects malformed records with the field named', () => {
    const inv = fixture('invoice.json');
    inv.TotalAmt = '12,5O';
    expect(() => mapQboInvoice(inv, ctx)).toThrow(VendorRecordError);
    expect(() => mapQboInvoice(inv, ctx)).toThrow(/Invoice 130: TotalAmt/);
    const noCustomer = fixture('invoice.json');
    delete noCustomer.CustomerRef;
    expect(() => mapQboInvoice(noCustomer, ctx)).toThrow('Invoice 130: CustomerRef.value: missing');
    expect(() => mapQboInvoice({ DocNumber: 'x' }, ctx)).toThrow('Invoice (no id): Id: missing id');
  });
});
