import type { Cursor, SyncBatch } from '../connector';
import type { FecLedger } from './fec-ledger.types';

const BATCH = 2_500;

/**
 * A parsed FEC as snapshot batches, in reference order: customers, then invoices and
 * credit notes, payments, allocations, each batch built when it is asked for. The last
 * batch carries the cursor and details.
 */
export function* fecLedgerBatches(ledger: FecLedger, cursor: Cursor | null, details: Record<string, unknown>): Generator<SyncBatch> {
  for (const records of ledger.records(BATCH)) yield { ...records, cursor: null };
  yield { cursor, details };
}
