import type { Cursor, SyncBatch } from '../connector';
import type { FecLedger } from './fec-ledger.types';

const BATCH = 10_000;

/**
 * A parsed FEC as snapshot batches, in reference order: customers, then invoices and
 * credit notes, payments, allocations. The last batch carries the cursor and details.
 */
export function* fecLedgerBatches(ledger: FecLedger, cursor: Cursor | null, details: Record<string, unknown>): Generator<SyncBatch> {
  for (let i = 0; i < ledger.customers.length; i += BATCH) yield { customers: ledger.customers.slice(i, i + BATCH), cursor: null };
  for (let i = 0; i < ledger.invoices.length; i += BATCH) yield { invoices: ledger.invoices.slice(i, i + BATCH), cursor: null };
  for (let i = 0; i < ledger.payments.length; i += BATCH) yield { payments: ledger.payments.slice(i, i + BATCH), cursor: null };
  for (let i = 0; i < ledger.allocations.length; i += BATCH) yield { allocations: ledger.allocations.slice(i, i + BATCH), cursor: null };
  yield { cursor, details };
}
