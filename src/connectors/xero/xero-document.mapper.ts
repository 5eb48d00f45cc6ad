import type { NormalizedAllocation, NormalizedCustomer, NormalizedInvoice, NormalizedPayment, Tombstone } from '../connector';
import { XeroRecord } from './xero-record';

/** What one Xero record becomes in the normalized ledger. */
export interface XeroMapped {
  customers?: NormalizedCustomer[];
  invoices?: NormalizedInvoice[];
  payments?: NormalizedPayment[];
  allocations?: NormalizedAllocation[];
  deletions?: Tombstone[];
}

const GONE = new Set(['DELETED', 'VOIDED', 'ARCHIVED']);
/** Not yet a receivable: drafts and invoices awaiting approval are not pulled. */
const NOT_YET = new Set(['DRAFT', 'SUBMITTED']);

/** A Contact (customer). Archived (and GDPR-erased) contacts become tombstones. */
export function mapXeroContact(raw: unknown): XeroMapped {
  const r = XeroRecord.read('contact', raw, 'ContactID');
  const status = r.optString('ContactStatus');
  if (status === 'ARCHIVED' || status === 'GDPRREQUEST') return { deletions: [{ entity: 'customer', externalId: r.id! }] };
  const emails = new Set<string>();
  const main = r.optString('EmailAddress');
  if (main) emails.add(main);
  for (const p of r.array('ContactPersons')) {
    const person = r.nested('contact', p, r.id);
    const email = person.optString('EmailAddress');
    if (email && person.optBoolean('IncludeInEmails') !== false) emails.add(email);
  }
  const phones = r
    .array('Phones')
    .map((p) => {
      const ph = r.nested('contact', p, r.id);
      const number = ph.optString('PhoneNumber');
      return number ? [ph.optString('PhoneCountryCode'), ph.optString('PhoneAreaCode'), number].filter(Boolean).join(' ') : null;
    })
    .filter((p): p is string => p !== null);
  const termsType = r.optString('PaymentTerms.Sales.Type');
  const termsDayRaw = r.get('PaymentTerms.Sales.Day');
  const termsDay = typeof termsDayRaw === 'number' && Number.isInteger(termsDayRaw) ? termsDayRaw : null;
  const currency = r.optString('DefaultCurrency');
  return {
    customers: [
      {
        externalId: r.id!,
        name: r.string('Name'),
        emails: [...emails],
        phones,
        currency: currency ? r.currency('DefaultCurrency') : null,
        // DAYSAFTERBILLDATE: n days after the invoice; DAYSAFTERBILLMONTH: n days after its month ends.
        termsDays: termsType === 'DAYSAFTERBILLDATE' || termsType === 'DAYSAFTERBILLMONTH' ? termsDay : null,
        termsEndOfMonth: termsType === 'DAYSAFTERBILLMONTH',
        taxId: r.optString('TaxNumber'),
        company: null,
      },
    ],
  };
}

/** An ACCREC invoice. Deleted, voided and archived invoices become tombstones. */
export function mapXeroInvoice(raw: unknown): XeroMapped {
  const r = XeroRecord.read('invoice', raw, 'InvoiceID');
  const type = r.string('Type');
  if (type !== 'ACCREC') return {};
  const status = r.string('Status');
  if (GONE.has(status)) return { deletions: [{ entity: 'invoice', externalId: r.id! }] };
  if (NOT_YET.has(status)) return {};
  const currency = r.currency('CurrencyCode');
  return {
    invoices: [
      {
        externalId: r.id!,
        customerExternalId: r.string('Contact.ContactID'),
        kind: 'invoice',
        number: r.optString('InvoiceNumber') ?? r.id!,
        issueDate: r.xeroDate('Date'),
        dueDate: r.optXeroDate('DueDate'),
        currency,
        totalMinor: r.minor('Total', currency),
        status: status === 'PAID' ? 'paid' : 'open',
        currencyRate: r.optDecimal('CurrencyRate'),
        reference: r.optString('Reference'),
      },
    ],
  };
}

/**
 * An ACCREC credit note, with its allocations to invoices. A credit note has no due date in
 * Xero: it is available from its date, which is used as its due date.
 */
export function mapXeroCreditNote(raw: unknown): XeroMapped {
  const r = XeroRecord.read('credit_note', raw, 'CreditNoteID');
  if (r.string('Type') !== 'ACCRECCREDIT') return {};
  const status = r.string('Status');
  const allocations = xeroAllocations(r, 'credit_note');
  if (GONE.has(status)) {
    return { deletions: [{ entity: 'invoice', externalId: r.id! }, ...allocations.all.map((a) => ({ entity: 'allocation' as const, externalId: a.externalId }))] };
  }
  if (NOT_YET.has(status)) return {};
  const currency = r.currency('CurrencyCode');
  const date = r.xeroDate('Date');
  return {
    invoices: [
      {
        externalId: r.id!,
        customerExternalId: r.string('Contact.ContactID'),
        kind: 'credit_note',
        number: r.optString('CreditNoteNumber') ?? r.id!,
        issueDate: date,
        dueDate: date,
        currency,
        totalMinor: r.minor('Total', currency),
        status: status === 'PAID' ? 'paid' : 'open',
        currencyRate: r.optDecimal('CurrencyRate'),
        reference: r.optString('Reference'),
      },
    ],
    allocations: allocations.live,
    deletions: allocations.deleted.map((a) => ({ entity: 'allocation' as const, externalId: a.externalId })),
  };
}

/**
 * The `Allocations` of a credit note, overpayment or prepayment. Their id is Xero's
 * `AllocationID` when given, else the source, invoice and date (suffixed when repeated).
 */
export function xeroAllocations(
  r: XeroRecord,
  from: 'credit_note' | 'overpayment' | 'prepayment',
): { live: NormalizedAllocation[]; deleted: NormalizedAllocation[]; all: NormalizedAllocation[] } {
  const live: NormalizedAllocation[] = [];
  const deleted: NormalizedAllocation[] = [];
  const seen = new Map<string, number>();
  const currency = r.optString('CurrencyCode') ? r.currency('CurrencyCode') : null;
  r.array('Allocations').forEach((raw, i) => {
    const a = r.nested('allocation', raw, `${r.id}[${i}]`);
    const invoiceId = a.string('Invoice.InvoiceID');
    const date = a.xeroDate('Date');
    let id = a.optString('AllocationID') ?? `${r.id}:${invoiceId}:${date}`;
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    if (n > 1) id = `${id}#${n}`;
    if (!currency) throw r.error('CurrencyCode', 'missing');
    const alloc: NormalizedAllocation = {
      externalId: id,
      invoiceExternalId: invoiceId,
      creditNoteExternalId: from === 'credit_note' ? r.id! : null,
      paymentExternalId: from === 'credit_note' ? null : r.id!,
      amountMinor: a.minor('Amount', currency),
      currency,
      date,
    };
    (a.optBoolean('IsDeleted') ? deleted : live).push(alloc);
  });
  return { live, deleted, all: [...live, ...deleted] };
}
