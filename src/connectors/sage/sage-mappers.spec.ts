import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { NOTE_MARKER, noteWithStatusLine } from '../status-note';
import { mapSageContact, mapSageContactAllocation, mapSageContactPayment, mapSageSalesCreditNote, mapSageSalesInvoice } from './sage-mappers';
import { nextSageMark, sageListPath } from './sage.connector';

const fixture = (name: string) => JSON.parse(readFileSync(path.join(__dirname, '../../../test/fixtures/sage', name), 'utf8'));
const ctx = { baseCurrency: 'GBP' };
const INV = '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d';
const CN = '3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f';
const PAY = '4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f90';

describe('Sage mappers', () => {
  it('maps a customer contact with terms, credit limit and contact person', () => {
    expect(mapSageContact(fixture('contact.json'), ctx)).toEqual({
      externalId: 'a5b6c8d9e0f1a2b3c4d5e6f708192a3b',
      name: 'Bird Supplies Ltd',
      emails: ['accounts@birdsupplies.example', 'jo@birdsupplies.example'],
      phones: ['01632 960001', '07700 900123'],
      currency: 'GBP',
      termsDays: 30,
      creditLimitMinor: 500000n,
      company: null,
      language: 'en-GB',
      taxId: 'GB123456789',
    });
  });

  it('maps sales invoices (multi-currency, part paid) and skips drafts', () => {
    expect(mapSageSalesInvoice(fixture('sales-invoice.json'), ctx)).toEqual({
      externalId: INV,
      customerExternalId: 'a5b6c8d9e0f1a2b3c4d5e6f708192a3b',
      kind: 'invoice',
      number: 'SI-12',
      issueDate: '2026-01-06',
      dueDate: '2026-02-05',
      currency: 'GBP',
      totalMinor: 120050n,
      status: 'open',
      currencyRate: '1',
      reference: 'PO-7781',
    });
    expect(mapSageSalesInvoice(fixture('sales-invoice-eur.json'), ctx)).toMatchObject({ currency: 'EUR', totalMinor: 98010n, currencyRate: '0.8574', status: 'open' });
    const draft = fixture('sales-invoice.json');
    draft.status = { id: 'DRAFT' };
    expect(mapSageSalesInvoice(draft, ctx)).toBeNull();
    const voided = fixture('sales-invoice.json');
    voided.status = { id: 'VOID' };
    expect(mapSageSalesInvoice(voided, ctx)!.status).toBe('void');
  });

  it('maps a credit note', () => {
    expect(mapSageSalesCreditNote(fixture('sales-credit-note.json'), ctx)).toMatchObject({
      externalId: CN,
      kind: 'credit_note',
      number: 'SCN-4',
      dueDate: null,
      totalMinor: 25020n,
      status: 'paid',
    });
  });

  it('maps a receipt: credit note first, then the payment, across two invoices', () => {
    const { payment, allocations } = mapSageContactPayment(fixture('contact-payment.json'), ctx)!;
    expect(payment).toEqual({
      externalId: PAY,
      customerExternalId: 'a5b6c8d9e0f1a2b3c4d5e6f708192a3b',
      kind: 'payment',
      date: '2026-01-12',
      currency: 'GBP',
      amountMinor: 110030n,
      method: 'Cheque',
      reference: 'CHK-2231',
    });
    expect(allocations.map((a) => [a.invoiceExternalId, a.paymentExternalId, a.creditNoteExternalId, a.amountMinor])).toEqual([
      [INV, null, CN, 25020n],
      [INV, PAY, null, 75030n],
      ['5e6f7a8b9c0d1e2f3a4b5c6d7e8f9001', PAY, null, 35000n],
    ]);
  });

  it('maps a contact allocation: a credit note set against two invoices', () => {
    expect(mapSageContactAllocation(fixture('contact-allocation.json'), ctx)).toEqual([
      { externalId: '6f7a8b9c0d1e2f3a4b5c6d7e8f900112:0', invoiceExternalId: INV, creditNoteExternalId: CN, paymentExternalId: null, amountMinor: 10000n, currency: 'GBP', date: '2026-01-13' },
      { externalId: '6f7a8b9c0d1e2f3a4b5c6d7e8f900112:1', invoiceExternalId: '5e6f7a8b9c0d1e2f3a4b5c6d7e8f9001', creditNoteExternalId: CN, paymentExternalId: null, amountMinor: 15020n, currency: 'GBP', date: '2026-01-13' },
    ]);
    const onAccount = fixture('contact-allocation.json');
    onAccount.allocated_artefacts[2] = { id: 'al4', artefact: { id: PAY, $path: `/contact_payments/${PAY}` }, amount: -250.2 };
    expect(mapSageContactAllocation(onAccount, ctx)!.map((a) => [a.invoiceExternalId, a.paymentExternalId, a.amountMinor])).toEqual([
      [INV, PAY, 10000n],
      ['5e6f7a8b9c0d1e2f3a4b5c6d7e8f9001', PAY, 15020n],
    ]);
  });

  it('ignores vendor payments and rejects malformed amounts', () => {
    const vendor = fixture('contact-payment.json');
    vendor.transaction_type = { id: 'VENDOR_PAYMENT' };
    expect(mapSageContactPayment(vendor, ctx)).toBeNull();
    const bad = fixture('sales-invoice.json');
    bad.total_amount = 'lots';
    expect(() => mapSageSalesInvoice(bad, ctx)).toThrow(`sales_invoice ${INV}: total_amount`);
  });
});

describe('Sage paging', () => {
  it('asks for 200 items, all attributes, by updated_at', () => {
    expect(sageListPath('sales_invoices', '', null)).toBe('/sales_invoices?items_per_page=200&attributes=all&sort=updated_at:asc');
    expect(sageListPath('contacts', '&contact_type_id=CUSTOMER', '2026-01-07T08:05:12Z')).toBe(
      '/contacts?items_per_page=200&attributes=all&sort=updated_at:asc&contact_type_id=CUSTOMER&updated_or_created_since=2026-01-07T08%3A05%3A12Z',
    );
  });

  it('re-queries from the last updated_at, follows $next through ties, stops on the last page', () => {
    const a = { updated_at: '2026-01-01T00:00:00Z' };
    const b = { updated_at: '2026-01-02T00:00:00Z' };
    expect(nextSageMark({ since: null, next: null }, [a, b], null)).toBeNull();
    expect(nextSageMark({ since: null, next: null }, [a, b], '/sales_invoices?page=2')).toEqual({ since: b.updated_at, next: null });
    expect(nextSageMark({ since: null, next: null }, [a, a], '/sales_invoices?page=2')).toEqual({ since: null, next: '/sales_invoices?page=2' });
  });
});

describe('status note', () => {
  it('keeps the user text and replaces our line', () => {
    expect(noteWithStatusLine('Deliver to the back door', 'Reminder 1 sent', 2000)).toBe(`Deliver to the back door\n${NOTE_MARKER}Reminder 1 sent`);
    expect(noteWithStatusLine(`Deliver to the back door\n${NOTE_MARKER}Reminder 1 sent`, 'Reminder 1 sent', 2000)).toBeNull();
    expect(noteWithStatusLine(null, 'Promise to pay', 2000)).toBe(`${NOTE_MARKER}Promise to pay`);
  });
});
