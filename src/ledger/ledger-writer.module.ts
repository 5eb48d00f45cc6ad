import { Module } from '@nestjs/common';
import { LedgerHooks } from './ledger-hooks';
import { LedgerWriter } from './ledger-writer';

/** The bulk ledger writer, for the sync runner and connectors' upload paths (FEC files), and the work that follows a write. */
@Module({ providers: [LedgerWriter, LedgerHooks], exports: [LedgerWriter, LedgerHooks] })
export class LedgerWriterModule {}
