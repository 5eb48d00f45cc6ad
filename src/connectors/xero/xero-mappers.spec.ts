import { officialXero } from '../../../test/support/xero-fixtures';
import { mapRecords, type RejectedRecord } from '../vendor-record';
import { parseXeroDate, parseXeroInstant } from './xero-dates';
import { mapXeroContact, mapXeroCreditNote, mapXeroInvoice } from './xero-document.mapper';
import { mapXeroCustomerCredit, mapXeroPayment } from './xero-payment.mapper';

type Rec = Record<string, unknown>;
const list = (file: string, field: string) => officialXero<Record<string, Rec[]>>(file)[field];

describe('Xero dates', () => {
  it('reads /Date(ms+offset)/ and ISO forms', () => {
    expect(parseXeroDate('/Date(1539993600000+0000)/')).toBe('2018-10-20');
    // Midnight in a +13:00 organisation is the previous day in UTC: the local day counts.
    expect(parseXeroDate('/Date(1552474800000+1300)/')).toBe('2019-03-14');
    expect(parseXeroDate('2019-03-05T00:00:00')).toBe('2019-03-05');
    expect(parseXeroDate('yesterday')).toBeNull();
    expect(parseXeroInstant('/Date(1541176592690+0000)/')?.toISOString()).toBe('2018-11-02T16:36:32.690Z');
    expect(parseXeroInstant('2018-11-02T16:36:32')?.toISOString()).toBe('2018-11-02T16:36:32.000Z');
  });
});

describe('Xero mappers (official examples)', () => {
  it('maps contacts with e-mails, phones and tombstones archived ones', () => {
    const [kat] = list('contacts', 'Contacts');
    expect(mapXeroContact(kat)).toEqual({
      customers: [
        {
          externalId: '5cc8cf28-567e-4d43-b287-687cfcaec47c',
          name: 'Katherine Warren',
          emails: ['kat.warren@clampett.com'],
          phones: ['(626) 847-1294'],
          currency: null,
          termsDays: null,
          termsEndOfMonth: false,
          taxId: null,
          company: null,
        },
      ],
    });
    const withTerms = { ...kat, DefaultCurrency: 'EUR', PaymentTerms: { Sales: { Day: 45, Type: 'DAYSAFTERBILLMONTH' } } };
    expect(mapXeroContact(withTerms).customers?.[0]).toMatchObject({ currency: 'EUR', termsDays: 45, termsEndOfMonth: true });
    expect(mapXeroContact({ ...kat, ContactStatus: 'ARCHIVED' })).toEqual({
      deletions: [{ entity: 'customer', externalId: '5cc8cf28-567e-4d43-b287-687cfcaec47c' }],
    });
  });

  it('maps ACCREC invoices: amounts to minor units, dates, status; voided → tombstone', () => {
    const [voided, paid, open] = list('invoices', 'Invoices');
    expect(mapXeroInvoice(voided)).toEqual({ deletions: [{ entity: 'invoice', externalId: 'd4956132-ed94-4dd7-9eaa-aa22dfdf06f2' }] });
    expect(mapXeroInvoice(paid)).toEqual({
      invoices: [
        {
          externalId: '046d8a6d-1ae1-4b4d-9340-5601bdf41b87',
          customerExternalId: 'a3675fc4-f8dd-4f03-ba5b-f1870566bcd7',
          kind: 'invoice',
          number: 'INV-0002',
          issueDate: '2018-10-20',
          dueDate: '2018-12-30',
          currency: 'NZD',
          totalMinor: 4600n,
          status: 'paid',
          currencyRate: '1',
          reference: 'Red Fish, Blue Fish',
        },
      ],
    });
    expect(mapXeroInvoice(open).invoices?.[0]).toMatchObject({ number: 'INV-0003', totalMinor: 11500n, status: 'open' });
    expect(mapXeroInvoice({ ...paid, Status: 'DRAFT' })).toEqual({});
    expect(mapXeroInvoice({ ...paid, Type: 'ACCPAY' })).toEqual({});
  });

  it('keeps CurrencyCode and CurrencyRate of a foreign-currency invoice, in its own minor units', () => {
    const [, paid] = list('invoices', 'Invoices');
    const jpy = mapXeroInvoice({ ...paid, CurrencyCode: 'JPY', CurrencyRate: 0.011234, Total: 125000 }).invoices![0];
    expect([jpy.currency, jpy.totalMinor, jpy.currencyRate]).toEqual(['JPY', 125000n, '0.011234']);
    const usd = mapXeroInvoice({ ...paid, CurrencyCode: 'USD', CurrencyRate: 1.6543, Total: 1234.56 }).invoices![0];
    expect([usd.currency, usd.totalMinor, usd.currencyRate]).toEqual(['USD', 123456n, '1.6543']);
  });

  it('maps ACCREC credit notes with their allocations; skips bills', () => {
    const [cn, bill] = list('credit-notes', 'CreditNotes');
    const withAlloc = { ...cn, Allocations: [{ Amount: 12.5, Date: '/Date(1552348800000+0000)/', Invoice: { InvoiceID: 'inv-1' } }] };
    expect(mapXeroCreditNote(withAlloc)).toEqual({
      invoices: [
        {
          externalId: '249f15fa-f2a7-4acc-8769-0984103f2225',
          customerExternalId: '430fa14a-f945-44d3-9f97-5df5e28441b8',
          kind: 'credit_note',
          number: 'CN-0005',
          issueDate: '2019-03-05',
          dueDate: '2019-03-05',
          currency: 'NZD',
          totalMinor: 3450n,
          status: 'open',
          currencyRate: '1',
          reference: 'US Tour',
        },
      ],
      allocations: [
        {
          externalId: '249f15fa-f2a7-4acc-8769-0984103f2225:inv-1:2019-03-12',
          invoiceExternalId: 'inv-1',
          creditNoteExternalId: '249f15fa-f2a7-4acc-8769-0984103f2225',
          paymentExternalId: null,
          amountMinor: 1250n,
          currency: 'NZD',
          date: '2019-03-12',
        },
      ],
      deletions: [],
    });
    expect(mapXeroCreditNote(bill)).toEqual({});
  });

  it('a voided credit note tombstones itself and its allocations; a deleted allocation is a tombstone', () => {
    const [cn] = list('credit-notes', 'CreditNotes');
    const allocs = [
      { AllocationID: 'al-1', Amount: 10, Date: '/Date(1552348800000+0000)/', Invoice: { InvoiceID: 'inv-1' } },
      { AllocationID: 'al-2', Amount: 5, Date: '/Date(1552348800000+0000)/', Invoice: { InvoiceID: 'inv-2' }, IsDeleted: true },
    ];
    expect(mapXeroCreditNote({ ...cn, Status: 'VOIDED', Allocations: allocs })).toEqual({
      deletions: [
        { entity: 'invoice', externalId: '249f15fa-f2a7-4acc-8769-0984103f2225' },
        { entity: 'allocation', externalId: 'al-1' },
        { entity: 'allocation', externalId: 'al-2' },
      ],
    });
    const live = mapXeroCreditNote({ ...cn, Allocations: allocs });
    expect([live.allocations?.map((a) => [a.externalId, a.amountMinor]), live.deletions]).toEqual([[['al-1', 1000n]], [{ entity: 'allocation', externalId: 'al-2' }]]);
  });

  it('maps a batch payment to one payment per batch and one allocation per invoice; skips credit refunds', () => {
    const [batch, refund] = list('payments', 'Payments');
    expect(mapXeroPayment(batch)).toEqual({
      payments: [
        {
          externalId: 'b54aa50c-794c-461b-89d1-846e1b84d9c0',
          customerExternalId: 'a3675fc4-f8dd-4f03-ba5b-f1870566bcd7',
          kind: 'payment',
          date: '2019-03-14',
          currency: 'NZD',
          amountMinor: 5000n,
          method: 'batch',
          reference: null,
        },
      ],
      allocations: [
        {
          externalId: 'payment:99ea7f6b-c513-4066-bc27-b7c65dcd76c2',
          invoiceExternalId: '046d8a6d-1ae1-4b4d-9340-5601bdf41b87',
          paymentExternalId: 'b54aa50c-794c-461b-89d1-846e1b84d9c0',
          creditNoteExternalId: null,
          amountMinor: 4600n,
          currency: 'NZD',
          date: '2018-11-29',
        },
      ],
    });
    expect(mapXeroPayment(refund)).toEqual({});
    const single = { ...batch, BatchPaymentID: undefined, BatchPayment: undefined, Status: 'DELETED' };
    expect(mapXeroPayment(single)).toEqual({
      deletions: [
        { entity: 'allocation', externalId: 'payment:99ea7f6b-c513-4066-bc27-b7c65dcd76c2' },
        { entity: 'payment', externalId: '99ea7f6b-c513-4066-bc27-b7c65dcd76c2' },
      ],
    });
  });

  it('maps received overpayments and prepayments; skips spent ones', () => {
    const ops = list('overpayments', 'Overpayments');
    const rejected: RejectedRecord[] = [];
    const mapped = mapRecords(ops, (r) => mapXeroCustomerCredit('overpayment', r), rejected);
    expect(mapped.flatMap((m) => m.payments ?? []).map((p) => [p.externalId, p.kind, p.amountMinor])).toEqual([
      ['2a8bda49-8908-473b-8bcf-1f90990460eb', 'overpayment', 2000n],
      ['0859adbc-ea00-40cd-a877-258cf8644975', 'overpayment', 2000n],
      ['687b877f-634a-415d-92b2-74e62977de30', 'overpayment', 2000n],
    ]);
    const [pre] = list('prepayments', 'Prepayments');
    expect(mapXeroCustomerCredit('prepayment', pre).payments?.[0]).toMatchObject({ externalId: 'ce0cddef-cf5a-4e59-b638-f225679115a7', kind: 'prepayment', amountMinor: 345000n });
    expect(rejected).toEqual([]);
  });

  it('rejects a malformed record with a clear reason instead of failing the page', () => {
    const [, paid, open] = list('invoices', 'Invoices');
    const rejected: RejectedRecord[] = [];
    const ok = mapRecords([{ ...paid, Total: 'lots' }, { ...open, Date: 42 }, { ...open, Contact: undefined }, open], mapXeroInvoice, rejected);
    expect(ok.length).toBe(1);
    expect(rejected).toEqual([
      { entity: 'invoice', id: '046d8a6d-1ae1-4b4d-9340-5601bdf41b87', reason: 'invoice 046d8a6d-1ae1-4b4d-9340-5601bdf41b87: Total: invalid amount "lots": not a number' },
      { entity: 'invoice', id: '7ef31b20-de17-4312-8382-412f869b1510', reason: 'invoice 7ef31b20-de17-4312-8382-412f869b1510: Date: not a date: 42' },
      { entity: 'invoice', id: '7ef31b20-de17-4312-8382-412f869b1510', reason: 'invoice 7ef31b20-de17-4312-8382-412f869b1510: Contact.ContactID: missing' },
    ]);
  });
});
