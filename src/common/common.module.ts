import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Clock, SystemClock } from './clock';
import { HealthController } from './health/health.controller';
import { Metrics } from './metrics/metrics';
import { MetricsController } from './metrics/metrics.controller';

@Global()
@Module({
  imports: [TerminusModule],
  controllers: [HealthController, MetricsController],
  providers: [Metrics, { provide: Clock, useClass: SystemClock }],
  exports: [Metrics, Clock],
})
export class CommonModule {}
