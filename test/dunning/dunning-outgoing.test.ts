import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import * as http from 'node:http';
import type { Connector, ConnectorManifest, PullContext, StatusUpdate } from '../../src/connectors/connector';
import { ConnectorRegistry } from '../../src/connectors/registry';
import { DunningScheduler, DUNNING_RUN } from '../../src/dunning/engine/dunning-scheduler';
import { verifyWebhook } from '../../src/dunning/webhooks/webhook-signature';
import { QueueService } from '../../src/sync/queue/queue.service';
import { bearer } from '../helpers/app';
import { anOpenInvoice, dunningWorld, dupont, type DunningWorld } from './dunning-fixture';

jest.setTimeout(120_000);

/** Status updates pushed to the source; an invoice whose external id starts with "BROKEN" makes the push fail. */
const pushed: StatusUpdate[] = [];

@Injectable()
class WriteBackConnector implements Connector {
  readonly manifest: ConnectorManifest = {
    id: 'wbtest', displayName: 'Write-back test', entities: ['customers', 'invoices'], mode: 'incremental', writeBack: true, auth: 'none',
    settingsSchema: class {},
  };
  // eslint-disable-next-line require-yield
  async *pull() {
    return;
  }
  async testConnection(): Promise<void> {}
  async pushStatus(_ctx: PullContext, update: StatusUpdate): Promise<void> {
    if (update.invoiceExternalId.startsWith('BROKEN')) throw new Error('source refused the note');
    pushed.push(update);
  }
}

@Module({ providers: [WriteBackConnector] })
class WriteBackConnectorModule implements OnModuleInit {
  constructor(private readonly registry: ConnectorRegistry, private readonly c: WriteBackConnector) {}
  onModuleInit(): void {
    this.registry.register(this.c);
  }
}

describe('dunning events out: signed webhooks, write-back, daily schedule', () => {
  let w: DunningWorld;
  let server: http.Server;
  const hits: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
  let failNext = 1;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        hits.push({ headers: req.headers, body });
        res.statusCode = failNext-- > 0 ? 500 : 204;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    w = await dunningWorld({}, { extraModules: [WriteBackConnectorModule], provider: 'wbtest' });
  });

  afterAll(async () => {
    await w.close();
    await new Promise((r) => server.close(r));
  });

  it('posts each event signed (HMAC-SHA256), retries with backoff, pushes status to the source; write-back failures never block sending', async () => {
    const port = (server.address() as { port: number }).port;
    const hook = await w.t.http().post('/v1/dunning/webhooks').set(bearer(w.tenant.adminKey))
      .send({ url: `http://127.0.0.1:${port}/hooks`, events: ['reminder_sent'] }).expect(201);
    expect(hook.body.secret).toMatch(/^whsec_/);
    const c = await dupont(w);
    const ok = await anOpenInvoice(w, c, { externalId: 'INV-OK', number: 'F-1' });
    await anOpenInvoice(w, c, { externalId: 'BROKEN-1', number: 'F-2' });

    const r = await w.run('2026-02-05');
    expect(r.delivery.sent).toBe(1);
    expect(w.smtp.received).toHaveLength(1);
    // write-back: the good invoice pushed once with the event id as idempotency key; the refused one recorded as failed
    expect(pushed.map((p) => [p.invoiceExternalId, p.event, p.message])).toEqual([['INV-OK', 'reminder_sent', 'E-mail sent: reminder_1 (email) on 2026-02-05']]);
    const events = await w.t.ds.query(`SELECT i.external_id, e.writeback_status, e.writeback_error, e.id FROM dunning_events e JOIN invoices i ON i.id = e.invoice_id ORDER BY i.external_id`);
    expect(events.map((e: { external_id: string; writeback_status: string; writeback_error: string | null }) => [e.external_id, e.writeback_status, e.writeback_error])).toEqual([
      ['BROKEN-1', 'failed', 'source refused the note'],
      ['INV-OK', 'done', null],
    ]);
    expect(pushed[0].idempotencyKey).toBe(events[1].id);

    // webhooks: two events (one per invoice), the first attempt answered 500 → retried after 1 minute
    expect(hits).toHaveLength(2);
    w.t.clock.set(new Date(w.t.clock.now().getTime() + 30_000));
    await w.t.http().post('/v1/dunning/runs').set(bearer(w.operatorKey)).send({}).expect(200);
    expect(hits).toHaveLength(2);
    w.t.clock.set(new Date(w.t.clock.now().getTime() + 60_000));
    await w.t.http().post('/v1/dunning/runs').set(bearer(w.operatorKey)).send({}).expect(200);
    expect(hits).toHaveLength(3);
    const deliveries = await w.t.ds.query(`SELECT status, attempts, last_status FROM dunning_webhook_deliveries ORDER BY attempts`);
    expect(deliveries).toEqual([{ status: 'delivered', attempts: 1, last_status: 204 }, { status: 'delivered', attempts: 2, last_status: 204 }]);
    for (const h of hits) {
      expect(h.headers['x-ledgerbridge-event']).toBe('reminder_sent');
      expect(verifyWebhook(hook.body.secret, h.body, String(h.headers['x-ledgerbridge-signature']))).toBe(true);
      expect(verifyWebhook('whsec_wrong', h.body, String(h.headers['x-ledgerbridge-signature']))).toBe(false);
    }
    const payload = JSON.parse(hits[2].body);
    expect(payload).toMatchObject({ type: 'reminder_sent', tenantId: w.tenant.tenantId, customerId: c.id });
    expect(hits.map((h) => JSON.parse(h.body).invoiceId)).toContain(ok.id);
  });

  it('the hourly tick enqueues the run of each tenant at its local run hour; the run happens once a day', async () => {
    const scheduler = w.t.app.get(DunningScheduler);
    const queue = w.t.app.get(QueueService);
    w.t.clock.set('2026-02-06T06:05:00Z'); // 07:05 in Paris
    expect(await scheduler.tick()).toEqual([]);
    w.t.clock.set('2026-02-06T07:05:00Z'); // 08:05 in Paris = DUNNING_RUN_HOUR
    expect(await scheduler.tick()).toEqual([w.tenant.tenantId]);
    expect(await queue.pending(DUNNING_RUN)).toBeGreaterThanOrEqual(1);
    // what the worker does with the job (twice: a duplicate job finds the day's run done)
    expect(await scheduler.runScheduled(w.tenant.tenantId)).toBe(true);
    expect(await scheduler.runScheduled(w.tenant.tenantId)).toBe(false);
    const runs = await w.t.ds.query(`SELECT to_char(as_of, 'YYYY-MM-DD') AS as_of, trigger, created_by FROM dunning_runs WHERE trigger = 'schedule'`);
    expect(runs).toEqual([{ as_of: '2026-02-06', trigger: 'schedule', created_by: 'system' }]);
  });
});
