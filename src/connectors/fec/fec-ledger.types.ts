import type { NormalizedAllocation, NormalizedCustomer, NormalizedInvoice, NormalizedPayment } from '../connector';
import type { FecProblem } from './fec-errors';

/** Payment terms: `days` after the invoice date, then to the end of that month when `endOfMonth`. */
export interface PaymentTerms {
  days: number;
  endOfMonth: boolean;
}

export interface FecLedgerOptions {
  file: string;
  currency: string;
  /** 419 advances count against the customer's outstanding (default true). */
  advancesAreCustomer: boolean;
  /** YYYY-MM-DD; default: the earliest EcritureDate of the file. */
  fiscalYearStart?: string | null;
  /** Per customer key (CompAuxNum or general account): terms that override the connection's. */
  customerTerms?: Record<string, PaymentTerms>;
}

/** A customer-side document derived from one entry: the net of a customer's lines in it. */
export interface FecDocument {
  externalId: string;
  customer: string;
  kind: 'invoice' | 'credit_note' | 'payment';
  paymentKind: 'payment' | 'prepayment' | 'opening' | null;
  opening: boolean;
  /** Positive: the absolute net amount. */
  amountMinor: bigint;
  number: string;
  date: string;
  line: number;
  method: string | null;
}

export interface FecLedger {
  customers: NormalizedCustomer[];
  invoices: NormalizedInvoice[];
  payments: NormalizedPayment[];
  allocations: NormalizedAllocation[];
  warnings: FecProblem[];
  stats: FecStats;
}

export interface FecStats {
  lines: number;
  entries: number;
  customers: number;
  invoices: number;
  creditNotes: number;
  payments: number;
  openingItems: number;
  allocations: number;
  warnings: number;
  totalDebitMinor: bigint;
  totalCreditMinor: bigint;
}
