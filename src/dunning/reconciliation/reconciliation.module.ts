import { Module } from '@nestjs/common';
import { AnalyticsModule } from '../analytics/analytics.module';
import { AllocationsService } from './allocations.service';
import { ReconciliationController } from './reconciliation.controller';
import { ReconciliationService } from './reconciliation.service';

/** Payment reconciliation: matching rules, unmatched review, manual allocations. */
@Module({
  imports: [AnalyticsModule],
  controllers: [ReconciliationController],
  providers: [ReconciliationService, AllocationsService],
  exports: [ReconciliationService, AllocationsService],
})
export class ReconciliationModule {}
