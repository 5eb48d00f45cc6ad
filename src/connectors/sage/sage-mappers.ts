import type { NormalizedAllocation, NormalizedCustomer, NormalizedInvoice, NormalizedPayment } from '../connector';
import { splitReceipt, type ReceiptLine } from '../payment-allocations';
import { RecordReader } from '../vendor-record';

/**
 * Pure mappers from Sage Business Cloud Accounting v3.1 JSON (`attributes=all`) to normalized
 * ledger records. Links to other resources are `{id, displayed_as, $path}`; amounts are
 * JSON numbers in the artefact's `currency.id`.
 */

export interface SageMapContext {
  /** The business's base currency (GET /financial_settings `base_currency`), for records without one. */
  baseCurrency: string;
}

function currencyOf(r: RecordReader, ctx: SageMapContext): string {
  return r.get('currency.id') === undefined || r.get('currency.id') === null ? ctx.baseCurrency : r.currency('currency.id');
}

/** Sales artefact status → ledger status; null = not issued yet (draft, pro-forma): skipped. */
function artefactStatus(r: RecordReader, outstanding: bigint | null): NormalizedInvoice['status'] | null {
  const status = (r.optString('status.id') ?? '').toUpperCase();
  if (status === 'DRAFT' || status === 'PRO_FORMA') return null;
  if (status === 'VOID') return 'void';
  if (status === 'PAID' || outstanding === 0n) return 'paid';
  return 'open';
}

export function mapSageContact(raw: unknown, ctx: SageMapContext): NormalizedCustomer {
  const r = RecordReader.of('contact', raw, 'id');
  const name = r.optString('name') ?? r.optString('displayed_as');
  if (!name) throw r.error('name', 'missing');
  const currency = currencyOf(r, ctx);
  const emails = [r.optString('email'), r.optString('main_contact_person.email')].filter((e): e is string => !!e);
  const phones = [r.optString('telephone'), r.optString('mobile'), r.optString('main_contact_person.telephone'), r.optString('main_contact_person.mobile')].filter(
    (p): p is string => !!p,
  );
  const creditDays = r.get('credit_days');
  if (creditDays !== undefined && creditDays !== null && (!Number.isInteger(creditDays) || (creditDays as number) < 0)) throw r.error('credit_days', 'not a whole number of days');
  return {
    externalId: r.string('id'),
    name,
    emails: [...new Set(emails)],
    phones: [...new Set(phones)],
    currency,
    termsDays: (creditDays as number | null | undefined) ?? null,
    creditLimitMinor: r.optMinor('credit_limit', currency),
    company: null,
    language: r.optString('locale'),
    taxId: r.optString('tax_number'),
  };
}

export function mapSageSalesInvoice(raw: unknown, ctx: SageMapContext): NormalizedInvoice | null {
  const r = RecordReader.of('sales_invoice', raw, 'id');
  const currency = currencyOf(r, ctx);
  const status = artefactStatus(r, r.optMinor('outstanding_amount', currency));
  if (status === null) return null;
  return {
    externalId: r.string('id'),
    customerExternalId: r.string('contact.id'),
    kind: 'invoice',
    number: r.optString('invoice_number') ?? r.optString('displayed_as') ?? r.string('id'),
    issueDate: r.date('date'),
    dueDate: r.optDate('due_date'),
    currency,
    totalMinor: r.minor('total_amount', currency),
    status,
    currencyRate: r.optDecimal('exchange_rate'),
    reference: r.optString('reference'),
  };
}

export function mapSageSalesCreditNote(raw: unknown, ctx: SageMapContext): NormalizedInvoice | null {
  const r = RecordReader.of('sales_credit_note', raw, 'id');
  const currency = currencyOf(r, ctx);
  const status = artefactStatus(r, r.optMinor('outstanding_amount', currency));
  if (status === null) return null;
  return {
    externalId: r.string('id'),
    customerExternalId: r.string('contact.id'),
    kind: 'credit_note',
    number: r.optString('credit_note_number') ?? r.optString('displayed_as') ?? r.string('id'),
    issueDate: r.date('date'),
    dueDate: null,
    currency,
    totalMinor: r.minor('total_amount', currency),
    status,
    currencyRate: r.optDecimal('exchange_rate'),
    reference: r.optString('reference'),
  };
}

/** Which kind of artefact a link designates, from its `$path` (`/sales_credit_notes/…`). */
function artefactKind(r: RecordReader, base: string): 'invoice' | 'credit_note' | null {
  const p = r.optString(`${base}.$path`) ?? r.optString(`${base}.path`) ?? '';
  if (p.includes('sales_credit_notes')) return 'credit_note';
  if (p.includes('sales_invoices') || p === '') return 'invoice';
  return null;
}

/**
 * A customer receipt (`transaction_type.id` CUSTOMER_RECEIPT) and its `allocated_artefacts`:
 * invoices paid, and credit notes used (their amount is negative in the receipt).
 */
export function mapSageContactPayment(raw: unknown, ctx: SageMapContext): { payment: NormalizedPayment; allocations: NormalizedAllocation[] } | null {
  const r = RecordReader.of('contact_payment', raw, 'id');
  const type = (r.optString('transaction_type.id') ?? 'CUSTOMER_RECEIPT').toUpperCase();
  if (type !== 'CUSTOMER_RECEIPT') return null;
  const currency = currencyOf(r, ctx);
  const payment: NormalizedPayment = {
    externalId: r.string('id'),
    customerExternalId: r.string('contact.id'),
    kind: 'payment',
    date: r.date('date'),
    currency,
    amountMinor: r.minor('total_amount', currency),
    method: r.optString('payment_method.displayed_as') ?? r.optString('payment_method.id'),
    reference: r.optString('reference'),
  };
  const lines: ReceiptLine[] = [];
  r.array('allocated_artefacts').forEach((_, i) => {
    const base = `allocated_artefacts.${i}`;
    const kind = artefactKind(r, `${base}.artefact`);
    if (!kind) return;
    const amount = r.minor(`${base}.amount`, currency);
    lines.push({ kind, externalId: r.string(`${base}.artefact.id`), amountMinor: amount < 0n ? -amount : amount });
  });
  return { payment, allocations: splitReceipt(payment, lines.filter((l) => l.amountMinor > 0n)) };
}

/** Ledger allocation ids of a contact allocation: `<id>:<n>`, n below this bound (tombstoned all at once). */
export const SAGE_ALLOCATION_MAX_LINES = 100;
export const sageAllocationLineId = (allocationId: string, n: number) => `${allocationId}:${n}`;

/**
 * A customer contact allocation (`transaction_type.id` CUSTOMER_ALLOCATION): credit notes (and
 * receipts on account) set against invoices without new money — `allocated_artefacts` with
 * invoices positive and credit notes / receipts negative. Credit notes settle the invoices
 * first, in line order, then the receipt on account (when there is one).
 */
export function mapSageContactAllocation(raw: unknown, ctx: SageMapContext): NormalizedAllocation[] | null {
  const r = RecordReader.of('contact_allocation', raw, 'id');
  const type = (r.optString('transaction_type.id') ?? 'CUSTOMER_ALLOCATION').toUpperCase();
  if (type !== 'CUSTOMER_ALLOCATION') return null;
  const id = r.string('id');
  const date = r.date('date');
  const currency = currencyOf(r, ctx);
  const invoices: ReceiptLine[] = [];
  const credits: ReceiptLine[] = [];
  let receipt: string | null = null;
  r.array('allocated_artefacts').forEach((_, i) => {
    const base = `allocated_artefacts.${i}`;
    const path = r.optString(`${base}.artefact.$path`) ?? r.optString(`${base}.artefact.path`) ?? '';
    const amount = r.minor(`${base}.amount`, currency);
    const abs = amount < 0n ? -amount : amount;
    const artefact = r.string(`${base}.artefact.id`);
    if (abs === 0n) return;
    if (path.includes('sales_credit_notes')) credits.push({ kind: 'credit_note', externalId: artefact, amountMinor: abs });
    else if (path.includes('contact_payments')) receipt ??= artefact;
    else if (path.includes('sales_invoices')) invoices.push({ kind: 'invoice', externalId: artefact, amountMinor: abs });
  });
  if (invoices.length + credits.length > SAGE_ALLOCATION_MAX_LINES) throw r.error('allocated_artefacts', `more than ${SAGE_ALLOCATION_MAX_LINES} lines`);
  const split = splitReceipt({ externalId: receipt ?? id, currency, date }, [...invoices, ...credits]);
  return split
    .filter((a) => a.creditNoteExternalId || receipt)
    .map((a, n) => ({ ...a, externalId: sageAllocationLineId(id, n) }));
}

/** `updated_at` of any record: the incremental cursor. */
export function sageUpdatedAt(entity: string, raw: unknown): string {
  return RecordReader.of(entity, raw, 'id').dateTime('updated_at');
}
