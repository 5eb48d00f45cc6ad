import { Global, Module } from '@nestjs/common';
import { QueueService } from './queue.service';

/** The job queue (pg-boss), injectable everywhere: `queue.register(name, handler)`, `queue.send(name, data)`. */
@Global()
@Module({ providers: [QueueService], exports: [QueueService] })
export class QueueModule {}
