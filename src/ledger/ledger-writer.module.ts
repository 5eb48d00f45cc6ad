import { Module } from '@nestjs/common';
import { LedgerWriter } from './ledger-writer';

/** The bulk ledger writer, for the sync runner and connectors' upload paths (FEC files). */
@Module({ providers: [LedgerWriter], exports: [LedgerWriter] })
export class LedgerWriterModule {}
