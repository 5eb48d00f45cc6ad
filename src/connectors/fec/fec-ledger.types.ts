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

/** Some of a ledger's records (one kind a batch). */
export interface FecRecords {
  customers?: NormalizedCustomer[];
  invoices?: NormalizedInvoice[];
  payments?: NormalizedPayment[];
  allocations?: NormalizedAllocation[];
}

/**
 * A validated FEC as a receivables ledger. The records are built when asked for, `size` at
 * a time, in reference order (customers, invoices and credit notes, payments, allocations):
 * a large file never has them all in memory at once.
 */
export interface FecLedger {
  warnings: FecProblem[];
  stats: FecStats;
  records(size: number): Iterable<FecRecords>;
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
