import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter, Gauge, Histogram } from 'prom-client';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { Metrics } from '../common/metrics/metrics';
import type { SyncCounts } from '../ledger/sync-counts';

/**
 * Sync metrics on /metrics: runs by provider and outcome, run duration, records written by
 * entity and outcome, and seconds since each connection's last successful run (read from the
 * database at scrape time, so every replica reports the same truth).
 */
@Injectable()
export class SyncMetrics {
  private readonly runs: Counter<'provider' | 'status'>;
  private readonly duration: Histogram<'provider'>;
  private readonly records: Counter<'entity' | 'outcome'>;

  constructor(metrics: Metrics, @InjectDataSource() ds: DataSource, clock: Clock) {
    const registers = [metrics.registry];
    this.runs = new Counter({ name: 'ledgerbridge_sync_runs_total', help: 'Sync run attempts by provider and outcome', labelNames: ['provider', 'status'], registers });
    this.duration = new Histogram({
      name: 'ledgerbridge_sync_run_duration_seconds',
      help: 'Duration of sync run attempts',
      labelNames: ['provider'],
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
      registers,
    });
    this.records = new Counter({ name: 'ledgerbridge_sync_records_total', help: 'Records written by sync, by entity and outcome', labelNames: ['entity', 'outcome'], registers });
    new Gauge({
      name: 'ledgerbridge_sync_seconds_since_last_success',
      help: 'Seconds since the last successful sync run, per enabled connection',
      labelNames: ['connection_id', 'provider'],
      registers,
      async collect() {
        this.reset();
        if (!ds.isInitialized) return;
        // System-wide by design (one value per connection of every tenant); no ledger data exposed.
        const rows: { id: string; provider: string; last: Date | null; created_at: Date }[] = await ds.query(
          `SELECT id, provider, last_success_at AS last, created_at FROM connections WHERE enabled`,
        );
        const now = clock.now().getTime();
        for (const r of rows) this.set({ connection_id: r.id, provider: r.provider }, Math.max(0, (now - (r.last ?? r.created_at).getTime()) / 1000));
      },
    });
  }

  runFinished(provider: string, status: string, startedAt: bigint): void {
    this.runs.inc({ provider, status });
    this.duration.observe({ provider }, Number(process.hrtime.bigint() - startedAt) / 1e9);
  }

  recordsWritten(counts: SyncCounts): void {
    for (const [entity, c] of Object.entries(counts)) {
      for (const outcome of ['created', 'updated', 'unchanged', 'deleted'] as const) {
        if (c[outcome]) this.records.inc({ entity, outcome }, c[outcome]);
      }
    }
  }
}
