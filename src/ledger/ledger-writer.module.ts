import { Module } from '@nestjs/common';
import { LedgerBulkWriter } from './ledger-bulk-writer';
import { LedgerHooks } from './ledger-hooks';
import { LedgerWriter } from './ledger-writer';

/**
 * The bulk ledger writer, for the sync runner and connectors' upload paths; the set-based
 * snapshot writer for whole files (FEC imports); and the work that follows a write.
 */
@Module({ providers: [LedgerWriter, LedgerBulkWriter, LedgerHooks], exports: [LedgerWriter, LedgerBulkWriter, LedgerHooks] })
export class LedgerWriterModule {}
