import { Module } from '@nestjs/common';
import { AgedBalanceService } from './aged-balance.service';
import { AlertsService } from './alerts.service';
import { InsightsController } from './insights.controller';
import { PayerScoreService } from './payer-score.service';
import { DsoService } from './dso.service';
import { EncoursService } from './encours.service';
import { ForecastService } from './forecast.service';
import { ReportContextService } from './report-context.service';
import { ReportsController } from './reports.controller';

/** Receivables figures: aged balance, encours, DSO, payer scores, alerts, cash forecast. */
@Module({
  controllers: [ReportsController, InsightsController],
  providers: [ReportContextService, AgedBalanceService, EncoursService, DsoService, ForecastService, PayerScoreService, AlertsService],
  exports: [ReportContextService, AgedBalanceService, EncoursService, DsoService, ForecastService, PayerScoreService, AlertsService],
})
export class AnalyticsModule {}
