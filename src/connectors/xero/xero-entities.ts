import type { XeroMapped } from './xero-document.mapper';
import { mapXeroContact, mapXeroCreditNote, mapXeroInvoice } from './xero-document.mapper';
import { mapXeroCustomerCredit, mapXeroPayment } from './xero-payment.mapper';

export type XeroEntity = 'contacts' | 'invoices' | 'creditNotes' | 'overpayments' | 'prepayments' | 'payments';

/** One paged Xero list endpoint and how its records map to the ledger. */
export interface XeroEntitySpec {
  key: XeroEntity;
  /** Path under `/api.xro/2.0`. */
  path: string;
  /** Array field of the response envelope. */
  listField: string;
  idField: string;
  params: Record<string, string>;
  map(raw: unknown): XeroMapped;
}

/**
 * Pulled in this order, so that customers exist before their documents and invoices before
 * the payments and credits allocated to them.
 */
export const XERO_ENTITIES: readonly XeroEntitySpec[] = [
  { key: 'contacts', path: '/Contacts', listField: 'Contacts', idField: 'ContactID', params: { where: 'IsCustomer==true', includeArchived: 'true' }, map: mapXeroContact },
  { key: 'invoices', path: '/Invoices', listField: 'Invoices', idField: 'InvoiceID', params: { where: 'Type=="ACCREC"', includeArchived: 'true' }, map: mapXeroInvoice },
  { key: 'creditNotes', path: '/CreditNotes', listField: 'CreditNotes', idField: 'CreditNoteID', params: { where: 'Type=="ACCRECCREDIT"' }, map: mapXeroCreditNote },
  { key: 'overpayments', path: '/Overpayments', listField: 'Overpayments', idField: 'OverpaymentID', params: { where: 'Type=="RECEIVE-OVERPAYMENT"' }, map: (raw) => mapXeroCustomerCredit('overpayment', raw) },
  { key: 'prepayments', path: '/Prepayments', listField: 'Prepayments', idField: 'PrepaymentID', params: { where: 'Type=="RECEIVE-PREPAYMENT"' }, map: (raw) => mapXeroCustomerCredit('prepayment', raw) },
  { key: 'payments', path: '/Payments', listField: 'Payments', idField: 'PaymentID', params: { where: 'PaymentType=="ACCRECPAYMENT"' }, map: mapXeroPayment },
];
