import { Module } from '@nestjs/common';
import { AnalyticsModule } from '../analytics/analytics.module';
import { LedgerWriterModule } from '../../ledger/ledger-writer.module';
import { AllocationsService } from './allocations.service';
import { ReceivablesRefresh } from './receivables-refresh';
import { ReconciliationController } from './reconciliation.controller';
import { ReconciliationService } from './reconciliation.service';

/** Payment reconciliation: matching rules (also run after each sync that changed the ledger), unmatched review, manual allocations. */
@Module({
  imports: [AnalyticsModule, LedgerWriterModule],
  controllers: [ReconciliationController],
  providers: [ReconciliationService, AllocationsService, ReceivablesRefresh],
  exports: [ReconciliationService, AllocationsService],
})
export class ReconciliationModule {}
