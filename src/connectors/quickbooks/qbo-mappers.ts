import type { NormalizedAllocation, NormalizedCustomer, NormalizedInvoice, NormalizedPayment, Tombstone } from '../connector';
import { splitReceipt, type ReceiptLine } from '../payment-allocations';
import { RecordReader } from '../vendor-record';
import { creditMemoExternalId } from './qbo-ids';

/**
 * Pure mappers from QuickBooks Online v3 JSON entities (Customer, Invoice, CreditMemo,
 * Payment) to normalized ledger records. Amounts are JSON numbers in the transaction's
 * currency (`CurrencyRef`, absent when multicurrency is off: the company's home currency).
 */

export interface QboMapContext {
  /** The company's home currency (Preferences.CurrencyPrefs.HomeCurrency). */
  homeCurrency: string;
}

/** A payment and its allocations, or (voided) its tombstone. */
export type QboPaymentRecords =
  | { payment: NormalizedPayment; allocations: NormalizedAllocation[]; voided?: undefined }
  | { voided: Tombstone; payment?: undefined; allocations?: undefined };

function currencyOf(r: RecordReader, ctx: QboMapContext): string {
  return r.get('CurrencyRef.value') === undefined ? ctx.homeCurrency : r.currency('CurrencyRef.value');
}

/** `Metadata.LastUpdatedTime` of any entity: the incremental cursor. */
export function qboUpdatedAt(entity: string, raw: unknown): string {
  return RecordReader.of(entity, raw, 'Id').dateTime('MetaData.LastUpdatedTime');
}

export function mapQboCustomer(raw: unknown, ctx: QboMapContext): NormalizedCustomer {
  const r = RecordReader.of('Customer', raw, 'Id');
  const name = r.optString('DisplayName') ?? r.optString('CompanyName') ?? r.optString('FullyQualifiedName');
  if (!name) throw r.error('DisplayName', 'missing');
  const emails = (r.optString('PrimaryEmailAddr.Address') ?? '')
    .split(/[,;]/)
    .map((e) => e.trim())
    .filter(Boolean);
  const phones = [r.optString('PrimaryPhone.FreeFormNumber'), r.optString('Mobile.FreeFormNumber')].filter((p): p is string => !!p);
  return {
    externalId: r.string('Id'),
    name,
    emails,
    phones,
    currency: currencyOf(r, ctx),
    company: r.optString('CompanyName'),
    taxId: r.optString('PrimaryTaxIdentifier'),
  };
}

/** Voiding zeroes the amounts and prefixes `PrivateNote` with "Voided" (the entity stays). */
function isVoided(r: RecordReader, total: bigint): boolean {
  return total === 0n && /^Voided/.test(r.optString('PrivateNote') ?? '');
}

export function mapQboInvoice(raw: unknown, ctx: QboMapContext): NormalizedInvoice {
  const r = RecordReader.of('Invoice', raw, 'Id');
  const currency = currencyOf(r, ctx);
  const total = r.minor('TotalAmt', currency);
  const balance = r.minor('Balance', currency);
  if (total < 0n) throw r.error('TotalAmt', 'negative');
  return {
    externalId: r.string('Id'),
    customerExternalId: r.string('CustomerRef.value'),
    kind: 'invoice',
    number: r.optString('DocNumber') ?? r.string('Id'),
    issueDate: r.date('TxnDate'),
    dueDate: r.optDate('DueDate'),
    currency,
    totalMinor: total,
    status: isVoided(r, total) ? 'void' : balance === 0n ? 'paid' : 'open',
    currencyRate: r.optDecimal('ExchangeRate'),
    reference: null,
  };
}

export function mapQboCreditMemo(raw: unknown, ctx: QboMapContext): NormalizedInvoice {
  const r = RecordReader.of('CreditMemo', raw, 'Id');
  const currency = currencyOf(r, ctx);
  const total = r.minor('TotalAmt', currency);
  if (total < 0n) throw r.error('TotalAmt', 'negative');
  const remaining = r.optMinor('RemainingCredit', currency) ?? r.optMinor('Balance', currency) ?? total;
  return {
    externalId: creditMemoExternalId(r.string('Id')),
    customerExternalId: r.string('CustomerRef.value'),
    kind: 'credit_note',
    number: r.optString('DocNumber') ?? r.string('Id'),
    issueDate: r.date('TxnDate'),
    dueDate: null,
    currency,
    totalMinor: total,
    status: isVoided(r, total) ? 'void' : remaining === 0n ? 'paid' : 'open',
    currencyRate: r.optDecimal('ExchangeRate'),
    reference: null,
  };
}

/**
 * A Payment and the allocations of its lines: each `Line` carries an `Amount` and the
 * transactions it is linked to (`LinkedTxn[].TxnType` = `Invoice` or `CreditMemo`). A payment
 * that applies a credit memo to an invoice has both kinds of lines and a `TotalAmt` equal to
 * invoices − credit memos; see `splitReceipt`.
 */
export function mapQboPayment(raw: unknown, ctx: QboMapContext): QboPaymentRecords {
  const r = RecordReader.of('Payment', raw, 'Id');
  const currency = currencyOf(r, ctx);
  // A voided payment keeps its id with zeroed amounts: it leaves the ledger with its allocations.
  if (isVoided(r, r.minor('TotalAmt', currency))) return { voided: { entity: 'payment', externalId: r.string('Id') } };
  const payment: NormalizedPayment = {
    externalId: r.string('Id'),
    customerExternalId: r.string('CustomerRef.value'),
    kind: 'payment',
    date: r.date('TxnDate'),
    currency,
    amountMinor: r.minor('TotalAmt', currency),
    method: r.optString('PaymentMethodRef.name') ?? r.optString('PaymentMethodRef.value'),
    reference: r.optString('PaymentRefNum'),
  };
  const lines: ReceiptLine[] = [];
  r.array('Line').forEach((rawLine, i) => {
    const line = new RecordReader('Payment', rawLine, payment.externalId);
    const linked = line.array('LinkedTxn');
    if (linked.length !== 1) {
      if (linked.length === 0) return;
      throw r.error(`Line[${i}].LinkedTxn`, `expected one linked transaction, got ${linked.length}`);
    }
    const txn = new RecordReader('Payment', linked[0], payment.externalId);
    const type = txn.string('TxnType');
    const amount = line.minor('Amount', currency);
    if (amount <= 0n) return;
    if (type === 'Invoice') lines.push({ kind: 'invoice', externalId: txn.string('TxnId'), amountMinor: amount });
    else if (type === 'CreditMemo') lines.push({ kind: 'credit_note', externalId: creditMemoExternalId(txn.string('TxnId')), amountMinor: amount });
    // Other link types (JournalEntry, Deposit…) are outside the receivables ledger.
  });
  return { payment, allocations: splitReceipt(payment, lines) };
}
