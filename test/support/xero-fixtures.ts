import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Xero payloads for tests, built from the official examples of Xero's OpenAPI description
 * (`test/fixtures/xero/*.official.json`): a documented record is cloned and only the fields a
 * scenario needs are changed, so every other field keeps its documented shape.
 */
// From test/ (jest) or from the compiled benchmark (run at the repository root).
const DIR = [path.join(__dirname, '..', 'fixtures', 'xero'), path.resolve('test/fixtures/xero')].find((d) => fs.existsSync(d))!;

const cache = new Map<string, string>();

export function officialXero<T = Record<string, unknown>>(name: string): T {
  if (!cache.has(name)) cache.set(name, fs.readFileSync(path.join(DIR, `${name}.official.json`), 'utf8'));
  return JSON.parse(cache.get(name)!) as T;
}

type Rec = Record<string, unknown>;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const templates = new Map<string, Rec>();
const firstOf = (file: string, list: string, pick: (r: Rec) => boolean): Rec => {
  const key = `${file}:${pick.toString()}`;
  if (!templates.has(key)) templates.set(key, officialXero<Record<string, Rec[]>>(file)[list].find(pick)!);
  return clone(templates.get(key)!);
};

/** `/Date(…+0000)/` for an ISO date or date-time. */
export function xeroDate(iso: string): string {
  return `/Date(${Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso)}+0000)/`;
}

export const XERO_TENANT = 'fe79f7dd-b6d4-4a92-ba7b-538af6289c58';

export function aXeroContact(over: { id: string; name: string; email?: string; updated: string; status?: string; currency?: string; terms?: { Day: number; Type: string } }): Rec {
  const c = firstOf('contacts', 'Contacts', (r) => r.Name === 'Katherine Warren');
  Object.assign(c, {
    ContactID: over.id,
    Name: over.name,
    EmailAddress: over.email ?? '',
    ContactStatus: over.status ?? 'ACTIVE',
    UpdatedDateUTC: xeroDate(over.updated),
  });
  if (over.currency) c.DefaultCurrency = over.currency;
  if (over.terms) c.PaymentTerms = { Sales: over.terms };
  return c;
}

export function aXeroInvoice(over: {
  id: string;
  number: string;
  contactId: string;
  total: number | string;
  date: string;
  due: string;
  updated: string;
  status?: string;
  currency?: string;
  rate?: number;
}): Rec {
  const inv = firstOf('invoices', 'Invoices', (r) => r.InvoiceNumber === 'INV-0002');
  Object.assign(inv, {
    InvoiceID: over.id,
    InvoiceNumber: over.number,
    Status: over.status ?? 'AUTHORISED',
    Total: over.total,
    AmountDue: over.total,
    AmountPaid: 0,
    Payments: [],
    CurrencyCode: over.currency ?? 'NZD',
    CurrencyRate: over.rate ?? 1,
    Date: xeroDate(over.date),
    DateString: `${over.date}T00:00:00`,
    DueDate: xeroDate(over.due),
    DueDateString: `${over.due}T00:00:00`,
    UpdatedDateUTC: xeroDate(over.updated),
    UpdatedDateUTCString: new Date(over.updated).toISOString().slice(0, 19) + 'Z',
  });
  (inv.Contact as Rec).ContactID = over.contactId;
  delete inv.FullyPaidOnDate;
  return inv;
}

export function aXeroCreditNote(over: {
  id: string;
  number: string;
  contactId: string;
  total: number;
  date: string;
  updated: string;
  status?: string;
  currency?: string;
  allocations?: Array<{ invoiceId: string; amount: number; date: string; allocationId?: string }>;
}): Rec {
  const cn = firstOf('credit-notes', 'CreditNotes', (r) => r.Type === 'ACCRECCREDIT');
  Object.assign(cn, {
    CreditNoteID: over.id,
    ID: over.id,
    CreditNoteNumber: over.number,
    CurrencyCode: over.currency ?? 'NZD',
    Status: over.status ?? 'AUTHORISED',
    Total: over.total,
    Date: xeroDate(over.date),
    DateString: `${over.date}T00:00:00`,
    UpdatedDateUTC: xeroDate(over.updated),
    Payments: [],
    Allocations: (over.allocations ?? []).map((a) => ({
      ...(a.allocationId ? { AllocationID: a.allocationId } : {}),
      Amount: a.amount,
      Date: xeroDate(a.date),
      Invoice: { InvoiceID: a.invoiceId, InvoiceNumber: '', Payments: [], CreditNotes: [], Prepayments: [], Overpayments: [], HasErrors: false, IsDiscounted: false, LineItems: [] },
    })),
  });
  (cn.Contact as Rec).ContactID = over.contactId;
  return cn;
}

export function aXeroPayment(over: {
  id: string;
  invoiceId: string;
  contactId: string;
  amount: number;
  date: string;
  updated: string;
  status?: string;
  currency?: string;
  batch?: { id: string; total: string; status?: string };
}): Rec {
  const p = firstOf('payments', 'Payments', (r) => r.PaymentType === 'ACCRECPAYMENT');
  Object.assign(p, {
    PaymentID: over.id,
    Amount: over.amount,
    BankAmount: over.amount,
    Date: xeroDate(over.date),
    Status: over.status ?? 'AUTHORISED',
    UpdatedDateUTC: xeroDate(over.updated),
  });
  if (over.batch) {
    p.BatchPaymentID = over.batch.id;
    Object.assign(p.BatchPayment as Rec, { BatchPaymentID: over.batch.id, TotalAmount: over.batch.total, Date: xeroDate(over.date), Status: over.batch.status ?? 'AUTHORISED' });
  } else {
    delete p.BatchPaymentID;
    delete p.BatchPayment;
  }
  const inv = p.Invoice as Rec;
  inv.InvoiceID = over.invoiceId;
  inv.CurrencyCode = over.currency ?? 'NZD';
  (inv.Contact as Rec).ContactID = over.contactId;
  return p;
}

export function aXeroOverpayment(over: {
  id: string;
  contactId: string;
  total: number;
  date: string;
  updated: string;
  status?: string;
  currency?: string;
  allocations?: Array<{ invoiceId: string; amount: number; date: string; allocationId?: string }>;
}): Rec {
  const o = firstOf('overpayments', 'Overpayments', (r) => r.Type === 'RECEIVE-OVERPAYMENT');
  Object.assign(o, {
    OverpaymentID: over.id,
    ID: over.id,
    CurrencyCode: over.currency ?? 'NZD',
    Total: over.total,
    SubTotal: over.total,
    Status: over.status ?? 'AUTHORISED',
    Date: xeroDate(over.date),
    DateString: `${over.date}T00:00:00`,
    UpdatedDateUTC: xeroDate(over.updated),
    Allocations: (over.allocations ?? []).map((a) => ({
      ...(a.allocationId ? { AllocationID: a.allocationId } : {}),
      Amount: a.amount,
      Date: xeroDate(a.date),
      Invoice: { InvoiceID: a.invoiceId, InvoiceNumber: '', Payments: [], CreditNotes: [], Prepayments: [], Overpayments: [], HasErrors: false, IsDiscounted: false, LineItems: [] },
    })),
  });
  (o.Contact as Rec).ContactID = over.contactId;
  return o;
}

/** A list response envelope as Xero sends it (`Id`, `Status`, `DateTimeUTC`, `pagination`, the list). */
export function xeroPage(listField: string, records: Rec[], opts: { page?: number; pageSize?: number; at?: string; itemCount?: number } = {}): Rec {
  const env = clone(officialXero<Rec>('invoices'));
  delete env.Invoices;
  return {
    ...env,
    DateTimeUTC: `/Date(${Date.parse(opts.at ?? '2026-03-05T10:00:00Z')})/`,
    pagination: {
      page: opts.page ?? 1,
      pageSize: opts.pageSize ?? 1000,
      pageCount: Math.max(1, Math.ceil((opts.itemCount ?? records.length) / (opts.pageSize ?? 1000))),
      itemCount: opts.itemCount ?? records.length,
    },
    [listField]: records,
  };
}
