import { Module } from '@nestjs/common';
import { QueueModule } from '../sync/queue/queue.module';
import { SyncModule } from '../sync/sync.module';
import { AnalyticsModule } from './analytics/analytics.module';
import { ApprovalsController } from './approvals/approvals.controller';
import { ApprovalsService } from './approvals/approvals.service';
import { EmailChannel } from './channels/email.channel';
import { LetterChannel } from './channels/letter.channel';
import { CollabController } from './collab/collab.controller';
import { DisputesService } from './collab/disputes.service';
import { PromisesService } from './collab/promises.service';
import { ControlsController } from './controls/controls.controller';
import { ControlsService } from './controls/controls.service';
import { DunningEngine } from './engine/dunning-engine.service';
import { DunningRunsController } from './engine/dunning-runs.controller';
import { DunningRunsService } from './engine/dunning-runs.service';
import { DunningScheduler } from './engine/dunning-scheduler';
import { OutgoingService } from './webhooks/outgoing.service';
import { WebhooksController } from './webhooks/webhooks.controller';
import { VariantReportController } from './reports/variant-report.controller';
import { BouncesController } from './outbox/bounces.controller';
import { BouncesService } from './outbox/bounces.service';
import { DeliveryService } from './outbox/delivery.service';
import { PenaltyCalculator } from './penalties/penalty-calculator';
import { loadPenaltyRates } from './penalties/penalty-rates';
import { PayerSegments } from './policies/payer-segments';
import { PoliciesController } from './policies/policies.controller';
import { PoliciesService } from './policies/policies.service';
import { TasksController } from './tasks/tasks.controller';
import { TasksService } from './tasks/tasks.service';
import { AuditLog } from './timeline/audit-log';
import { DunningEvents } from './timeline/dunning-events';
import { DunningStatusService } from './timeline/dunning-status.service';
import { TimelineController } from './timeline/timeline.controller';
import { TimelineService } from './timeline/timeline.service';

/** Dunning: policies, planning, outbox and delivery, approvals, call tasks, disputes and promises, timeline. */
@Module({
  imports: [AnalyticsModule, SyncModule, QueueModule],
  controllers: [DunningRunsController, PoliciesController, ApprovalsController, TasksController, CollabController, ControlsController, TimelineController, WebhooksController, VariantReportController, BouncesController],
  providers: [
    { provide: PenaltyCalculator, useFactory: () => new PenaltyCalculator(loadPenaltyRates()) },
    PayerSegments,
    AuditLog,
    DunningEvents,
    PoliciesService,
    PromisesService,
    DisputesService,
    DunningEngine,
    DunningRunsService,
    DeliveryService,
    BouncesService,
    EmailChannel,
    LetterChannel,
    ApprovalsService,
    TasksService,
    ControlsService,
    TimelineService,
    DunningStatusService,
    OutgoingService,
    DunningScheduler,
  ],
  exports: [DunningStatusService, DunningRunsService, DunningEngine, DeliveryService, BouncesService, EmailChannel, AuditLog, PenaltyCalculator, PoliciesService],
})
export class DunningModule {}
