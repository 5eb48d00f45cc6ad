import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../../common/errors';
import { DeliveryService, type DeliveryReport } from '../outbox/delivery.service';
import { OutgoingService } from '../webhooks/outgoing.service';
import { DunningEngine, type RunOptions } from './dunning-engine.service';
import type { RunResult } from './run-result';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Record<string, any>;

const view = (r: Row) => ({
  id: r.id, asOf: r.as_of, trigger: r.trigger, status: r.status, startedAt: r.started_at, finishedAt: r.finished_at, summary: r.summary, error: r.error, createdBy: r.created_by,
});

/** A run as the API, CLI and scheduler see it: plan, then deliver what is due (real runs). */
@Injectable()
export class DunningRunsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly engine: DunningEngine,
    private readonly delivery: DeliveryService,
    private readonly outgoing: OutgoingService,
  ) {}

  async run(tenantId: string, opts: RunOptions): Promise<RunResult & { delivery: DeliveryReport | null }> {
    const result = await this.engine.run(tenantId, opts);
    const delivery = opts.dryRun ? null : await this.deliverAndNotify(tenantId);
    return { ...result, delivery };
  }

  /** Delivers due messages, then sends webhooks and write-backs of the events (their failures never fail this). */
  async deliverAndNotify(tenantId: string): Promise<DeliveryReport> {
    const report = await this.delivery.deliverDue(tenantId);
    await this.outgoing.dispatchWebhooks(tenantId).catch(() => undefined);
    await this.outgoing.writeBack(tenantId).catch(() => undefined);
    return report;
  }

  async list(tenantId: string) {
    const rows = await this.ds.query(
      `SELECT id, to_char(as_of, 'YYYY-MM-DD') AS as_of, trigger, status, started_at, finished_at, summary, error, created_by
         FROM dunning_runs WHERE tenant_id = $1 ORDER BY started_at DESC, id LIMIT 200`,
      [tenantId],
    );
    return { items: rows.map(view) };
  }

  async get(tenantId: string, id: string) {
    const rows = await this.ds.query(
      `SELECT id, to_char(as_of, 'YYYY-MM-DD') AS as_of, trigger, status, started_at, finished_at, summary, error, created_by
         FROM dunning_runs WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id],
    );
    if (!rows.length) throw new NotFoundError('dunning run', id);
    return view(rows[0]);
  }
}
