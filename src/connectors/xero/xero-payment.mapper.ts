import type { Tombstone } from '../connector';
import { XeroMapped, xeroAllocations } from './xero-document.mapper';
import { XeroRecord } from './xero-record';

/** Allocation id of a Xero Payment (one Payment pays one invoice). */
export const paymentAllocationId = (paymentId: string) => `payment:${paymentId}`;

/**
 * A Payment on a sales invoice (ACCRECPAYMENT). A payment that belongs to a batch (one bank
 * receipt paying several invoices) becomes one ledger payment per batch (`BatchPaymentID`,
 * `TotalAmount`) with one allocation per invoice. A deleted payment tombstones its allocation
 * (the invoice re-opens: its outstanding amount is derived from the allocations left) and,
 * outside a batch or when the whole batch is deleted, the payment itself.
 */
export function mapXeroPayment(raw: unknown): XeroMapped {
  const r = XeroRecord.read('payment', raw, 'PaymentID');
  if (r.string('PaymentType') !== 'ACCRECPAYMENT') return {};
  const batchId = r.optString('BatchPaymentID') ?? r.optString('BatchPayment.BatchPaymentID');
  const allocationId = paymentAllocationId(r.id!);
  if (r.string('Status') === 'DELETED') {
    const deletions: Tombstone[] = [{ entity: 'allocation', externalId: allocationId }];
    if (!batchId) deletions.push({ entity: 'payment', externalId: r.id! });
    else if (r.optString('BatchPayment.Status') === 'DELETED') deletions.push({ entity: 'payment', externalId: batchId });
    return { deletions };
  }
  const currency = r.currency('Invoice.CurrencyCode');
  const customer = r.string('Invoice.Contact.ContactID');
  const invoiceId = r.string('Invoice.InvoiceID');
  const date = r.xeroDate('Date');
  const amount = r.minor('Amount', currency);
  const paymentId = batchId ?? r.id!;
  return {
    payments: [
      {
        externalId: paymentId,
        customerExternalId: customer,
        kind: 'payment',
        date: batchId ? (r.optXeroDate('BatchPayment.Date') ?? date) : date,
        currency,
        amountMinor: batchId && r.get('BatchPayment.TotalAmount') !== undefined ? r.minor('BatchPayment.TotalAmount', currency) : amount,
        method: batchId ? 'batch' : null,
        reference: (batchId ? r.optString('BatchPayment.Reference') : null) ?? r.optString('Reference'),
      },
    ],
    allocations: [
      { externalId: allocationId, invoiceExternalId: invoiceId, paymentExternalId: paymentId, creditNoteExternalId: null, amountMinor: amount, currency, date },
    ],
  };
}

/** A received overpayment or prepayment with its allocations; voided ones become tombstones. */
export function mapXeroCustomerCredit(kind: 'overpayment' | 'prepayment', raw: unknown): XeroMapped {
  const idField = kind === 'overpayment' ? 'OverpaymentID' : 'PrepaymentID';
  const r = XeroRecord.read(kind, raw, idField);
  const expectedType = kind === 'overpayment' ? 'RECEIVE-OVERPAYMENT' : 'RECEIVE-PREPAYMENT';
  if (r.string('Type') !== expectedType) return {};
  const allocations = xeroAllocations(r, kind);
  const status = r.string('Status');
  if (status === 'VOIDED' || status === 'DELETED') {
    return {
      deletions: [{ entity: 'payment', externalId: r.id! }, ...allocations.all.map((a) => ({ entity: 'allocation' as const, externalId: a.externalId }))],
    };
  }
  const currency = r.currency('CurrencyCode');
  return {
    payments: [
      {
        externalId: r.id!,
        customerExternalId: r.string('Contact.ContactID'),
        kind,
        date: r.xeroDate('Date'),
        currency,
        amountMinor: r.minor('Total', currency),
        method: null,
        reference: r.optString('Reference'),
      },
    ],
    allocations: allocations.live,
    deletions: allocations.deleted.map((a) => ({ entity: 'allocation' as const, externalId: a.externalId })),
  };
}
