import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import axios from 'axios';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import { SECRET_BOX, SecretBox } from '../../common/crypto/secret-box';
import { NotFoundError } from '../../common/errors';
import type { StatusUpdate } from '../../connectors/connector';
import { ConnectorRegistry } from '../../connectors/registry';
import { ConnectionsService } from '../../sync/connections.service';
import { AuditLog } from '../timeline/audit-log';
import { signWebhook } from './webhook-signature';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Record<string, any>;

/** Delays before the 2nd, 3rd... attempt of a webhook delivery; then it is flagged failed. */
export const WEBHOOK_BACKOFF_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 6 * 3_600_000, 12 * 3_600_000];

const WRITEBACK_EVENTS: Record<string, StatusUpdate['event'] | undefined> = {
  reminder_sent: 'reminder_sent', reminder_failed: 'reminder_failed', promise: 'promise',
  dispute_opened: 'dispute_opened', dispute_resolved: 'dispute_resolved', paused: 'paused',
};

/**
 * What follows dunning events out of the service: signed webhooks (HMAC-SHA256, retried with
 * backoff) and the connector's write-back (`pushStatus`). Both run after the events are
 * committed; a failure is recorded and retried, and never blocks sending reminders.
 */
@Injectable()
export class OutgoingService {
  private readonly logger = new Logger(OutgoingService.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly registry: ConnectorRegistry,
    private readonly connections: ConnectionsService,
    private readonly audit: AuditLog,
  ) {}

  async createWebhook(tenantId: string, url: string, events: string[], actor: string) {
    const secret = `whsec_${randomBytes(24).toString('base64url')}`;
    return this.ds.transaction(async (m) => {
      const [row] = await m.query(`INSERT INTO dunning_webhooks (tenant_id, url, secret_encrypted, events) VALUES ($1, $2, 'pending', $3) RETURNING id, url, events, enabled, created_at`, [tenantId, url, events]);
      await m.query(`UPDATE dunning_webhooks SET secret_encrypted = $2 WHERE id = $1`, [row.id, this.box.seal(secret, row.id)]);
      await this.audit.record(m, { tenantId, actor, action: 'dunning_webhook.created', subjectType: 'dunning_webhook', subjectId: row.id, data: { url } });
      return { id: row.id, url: row.url, events: row.events, enabled: row.enabled, createdAt: row.created_at, secret };
    });
  }

  async listWebhooks(tenantId: string) {
    const rows = await this.ds.query(`SELECT id, url, events, enabled, created_at FROM dunning_webhooks WHERE tenant_id = $1 ORDER BY created_at, id`, [tenantId]);
    return { items: rows.map((r: Row) => ({ id: r.id, url: r.url, events: r.events, enabled: r.enabled, createdAt: r.created_at })) };
  }

  async deleteWebhook(tenantId: string, id: string, actor: string): Promise<void> {
    await this.ds.transaction(async (m) => {
      const [rows] = await m.query(`DELETE FROM dunning_webhooks WHERE tenant_id = $1 AND id = $2 RETURNING id`, [tenantId, id]);
      if (!rows.length) throw new NotFoundError('webhook', id);
      await m.query(`DELETE FROM dunning_webhook_deliveries WHERE webhook_id = $1`, [id]);
      await this.audit.record(m, { tenantId, actor, action: 'dunning_webhook.deleted', subjectType: 'dunning_webhook', subjectId: id, data: {} });
    });
  }

  /** Sends due webhook deliveries of a tenant; returns how many were delivered. */
  async dispatchWebhooks(tenantId: string, limit = 200): Promise<{ delivered: number; retried: number; failed: number }> {
    const now = this.clock.now();
    const res = { delivered: 0, retried: 0, failed: 0 };
    const [claimed]: [Row[], number] = await this.ds.query(
      `UPDATE dunning_webhook_deliveries d SET attempts = d.attempts + 1, next_attempt_at = $2::timestamptz + interval '10 minutes'
        WHERE d.id IN (SELECT id FROM dunning_webhook_deliveries WHERE tenant_id = $1 AND status = 'pending' AND next_attempt_at <= $2
                        ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
        RETURNING d.id, d.webhook_id, d.event_id, d.attempts`,
      [tenantId, now, limit],
    );
    for (const d of claimed) {
      const [hook] = await this.ds.query(`SELECT id, url, secret_encrypted FROM dunning_webhooks WHERE id = $1`, [d.webhook_id]);
      const [e] = await this.ds.query(`SELECT id, type, customer_id, invoice_id, actor, message, data, at FROM dunning_events WHERE id = $1`, [d.event_id]);
      if (!hook || !e) continue;
      const body = JSON.stringify({ id: e.id, type: e.type, tenantId, customerId: e.customer_id, invoiceId: e.invoice_id, actor: e.actor, message: e.message, data: e.data, at: e.at });
      let status: number | null = null;
      let error: string | null = null;
      try {
        const r = await axios.post(hook.url, body, {
          headers: {
            'content-type': 'application/json',
            'x-ledgerbridge-event': e.type,
            'x-ledgerbridge-delivery': d.id,
            'x-ledgerbridge-signature': signWebhook(this.box.open(hook.secret_encrypted, hook.id), body, Math.floor(now.getTime() / 1000)),
          },
          timeout: 10_000,
          validateStatus: () => true,
          maxRedirects: 0,
        });
        status = r.status;
        if (r.status < 200 || r.status >= 300) error = `HTTP ${r.status}`;
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
      }
      if (!error) {
        await this.ds.query(`UPDATE dunning_webhook_deliveries SET status = 'delivered', last_status = $2, last_error = NULL, delivered_at = $3 WHERE id = $1`, [d.id, status, now]);
        res.delivered++;
      } else if (d.attempts > WEBHOOK_BACKOFF_MS.length) {
        await this.ds.query(`UPDATE dunning_webhook_deliveries SET status = 'failed', last_status = $2, last_error = $3 WHERE id = $1`, [d.id, status, error]);
        res.failed++;
      } else {
        await this.ds.query(`UPDATE dunning_webhook_deliveries SET last_status = $2, last_error = $3, next_attempt_at = $4 WHERE id = $1`, [
          d.id, status, error, new Date(now.getTime() + WEBHOOK_BACKOFF_MS[d.attempts - 1]),
        ]);
        res.retried++;
      }
    }
    return res;
  }

  /** Pushes pending events to the source's write-back (connectors with `pushStatus`). */
  async writeBack(tenantId: string, limit = 200): Promise<{ done: number; failed: number }> {
    const res = { done: 0, failed: 0 };
    const rows: Row[] = await this.ds.query(
      `SELECT e.id, e.type, e.message, e.at, i.external_id AS invoice_ref, i.connection_id, cn.provider
         FROM dunning_events e JOIN invoices i ON i.id = e.invoice_id JOIN connections cn ON cn.id = i.connection_id
        WHERE e.tenant_id = $1 AND e.writeback_status = 'pending' ORDER BY e.at, e.id LIMIT $2`,
      [tenantId, limit],
    );
    for (const r of rows) {
      const event = WRITEBACK_EVENTS[r.type];
      const connector = this.registry.has(r.provider) ? this.registry.get(r.provider) : null;
      if (!event || !connector?.pushStatus) {
        await this.ds.query(`UPDATE dunning_events SET writeback_status = 'none' WHERE id = $1`, [r.id]);
        continue;
      }
      try {
        const conn = await this.connections.get(tenantId, r.connection_id);
        await connector.pushStatus(
          {
            tenantId, connectionId: r.connection_id, settings: conn.settings,
            credentials: await this.connections.credentials(tenantId, r.connection_id),
            saveCredentials: (c) => this.connections.saveCredentials(tenantId, r.connection_id, c),
            signal: AbortSignal.timeout(30_000), logger: new Logger(`writeback:${r.provider}`), clock: this.clock,
          },
          { invoiceExternalId: r.invoice_ref, event, message: r.message, idempotencyKey: r.id, at: r.at },
        );
        await this.ds.query(`UPDATE dunning_events SET writeback_status = 'done', writeback_error = NULL WHERE id = $1`, [r.id]);
        res.done++;
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        await this.ds.query(`UPDATE dunning_events SET writeback_status = 'failed', writeback_error = $2 WHERE id = $1`, [r.id, error]);
        this.logger.warn({ tenantId, eventId: r.id, provider: r.provider, error }, 'write-back failed');
        res.failed++;
      }
    }
    return res;
  }
}
