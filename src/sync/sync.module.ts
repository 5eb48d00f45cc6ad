import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LedgerWriterModule } from '../ledger/ledger-writer.module';
import { Connection } from './connection.entity';
import { ConnectionEvents } from './connection-events';
import { ConnectionTestService } from './connection-test.service';
import { ConnectionsController } from './connections.controller';
import { ConnectionsService } from './connections.service';
import { QueueModule } from './queue/queue.module';
import { SyncController } from './sync.controller';
import { SyncMetrics } from './sync-metrics';
import { SyncRun } from './sync-run.entity';
import { SyncRunner } from './sync-runner';
import { SyncRunsService } from './sync-runs.service';
import { SyncScheduler } from './sync-scheduler';
import { SyncWorker } from './sync-worker';

@Module({
  imports: [TypeOrmModule.forFeature([Connection, SyncRun]), LedgerWriterModule, QueueModule],
  controllers: [ConnectionsController, SyncController],
  providers: [ConnectionsService, ConnectionEvents, ConnectionTestService, SyncRunsService, SyncRunner, SyncMetrics, SyncWorker, SyncScheduler],
  exports: [ConnectionsService, ConnectionEvents, SyncRunsService, SyncRunner, LedgerWriterModule],
})
export class SyncModule {}
