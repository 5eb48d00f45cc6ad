import { Module } from '@nestjs/common';
import { AnalyticsModule } from '../dunning/analytics/analytics.module';
import { DashboardApiController } from './dashboard-api.controller';
import { DashboardController } from './dashboard.controller';
import { DashboardService } from './dashboard.service';

/** The web dashboard at /app (static build of web/ with a single-page fallback) and its read endpoints. */
@Module({
  imports: [AnalyticsModule],
  controllers: [DashboardController, DashboardApiController],
  providers: [DashboardService],
})
export class DashboardModule {}
