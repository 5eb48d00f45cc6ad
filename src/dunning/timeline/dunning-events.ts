import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { ConnectorRegistry } from '../../connectors/registry';
import type { DunningEventType } from './dunning-event.entity';

export interface NewDunningEvent {
  tenantId: string;
  customerId: string | null;
  invoiceId: string | null;
  type: DunningEventType;
  actor: string;
  message: string;
  data?: Record<string, unknown>;
}

/**
 * Records dunning events (the timeline) in the caller's transaction, and in the same
 * transaction queues what must follow them: the write-back to the source (when the invoice
 * comes from a connection whose connector can take it) and one delivery per matching webhook.
 */
@Injectable()
export class DunningEvents {
  constructor(
    private readonly clock: Clock,
    private readonly registry: ConnectorRegistry,
  ) {}

  /** Providers whose connector takes status updates. */
  writeBackProviders(): string[] {
    return this.registry.all().filter((c) => c.manifest.writeBack && typeof c.pushStatus === 'function').map((c) => c.manifest.id);
  }

  async record(m: EntityManager, events: NewDunningEvent[]): Promise<string[]> {
    if (!events.length) return [];
    const at = this.clock.now();
    const rows: { id: string }[] = await m.query(
      `INSERT INTO dunning_events (tenant_id, customer_id, invoice_id, type, actor, message, data, at, writeback_status)
       SELECT e.tenant_id, e.customer_id, e.invoice_id, e.type, e.actor, e.message, e.data, $2,
              CASE WHEN cn.provider = ANY ($3::text[]) THEN 'pending' ELSE 'none' END
         FROM jsonb_to_recordset($1::jsonb) AS e(tenant_id uuid, customer_id uuid, invoice_id uuid, type text, actor text, message text, data jsonb)
         LEFT JOIN invoices i ON i.id = e.invoice_id AND i.tenant_id = e.tenant_id
         LEFT JOIN connections cn ON cn.id = i.connection_id
       RETURNING id`,
      [
        JSON.stringify(events.map((e) => ({
          tenant_id: e.tenantId, customer_id: e.customerId, invoice_id: e.invoiceId, type: e.type, actor: e.actor, message: e.message, data: e.data ?? {},
        }))),
        at,
        this.writeBackProviders(),
      ],
    );
    const ids = rows.map((r) => r.id);
    await m.query(
      `INSERT INTO dunning_webhook_deliveries (tenant_id, webhook_id, event_id, next_attempt_at)
       SELECT e.tenant_id, w.id, e.id, $2
         FROM dunning_events e
         JOIN dunning_webhooks w ON w.tenant_id = e.tenant_id AND w.enabled AND (cardinality(w.events) = 0 OR e.type = ANY (w.events))
        WHERE e.id = ANY ($1::uuid[])
       ON CONFLICT DO NOTHING`,
      [ids, at],
    );
    return ids;
  }
}
