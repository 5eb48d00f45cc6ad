import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import { APP_CONFIG } from '../../common/config/config.module';
import type { AppConfig } from '../../common/config/app-config';
import { SECRET_BOX, SecretBox } from '../../common/crypto/secret-box';
import { EmailChannel, PermanentDeliveryError, TransientDeliveryError } from '../channels/email.channel';
import { LetterChannel } from '../channels/letter.channel';
import { type TenantSmtpServer, tenantSmtp } from '../channels/tenant-smtp';
import { renderMessage } from '../channels/message-renderer';
import { dunningSettings, inSendingWindow } from '../engine/dunning-settings';
import type { Language, PolicyDefinition, PolicyStep } from '../policies/policy.types';
import { DunningEvents } from '../timeline/dunning-events';
import { messageIdOf, verpAddress } from './bounce-report';
import type { Channel } from './dunning-message.entity';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Record<string, any>;

/** A message left in `sending` longer than this was interrupted: its outcome is unknown. */
const SENDING_LEASE_MS = 15 * 60_000;

export interface DeliveryReport {
  sent: number;
  failed: number;
  retried: number;
  outsideWindow: boolean;
}

/**
 * Delivers queued messages. Each message is claimed (`queued` → `sending`) with
 * `FOR UPDATE SKIP LOCKED`, so concurrent workers never take the same one. A message
 * interrupted in `sending` is never sent again automatically: after the lease it is
 * flagged failed ("outcome unknown") for an operator to check — at most once, never twice.
 * Transient failures are retried with exponential backoff, up to DUNNING_MAX_DELIVERY_ATTEMPTS.
 */
@Injectable()
export class DeliveryService {
  private readonly logger = new Logger(DeliveryService.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly email: EmailChannel,
    private readonly letters: LetterChannel,
    private readonly events: DunningEvents,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
  ) {}

  /** The tenant's own SMTP server, if it has one (an error when its password cannot be decrypted). */
  private server(tenantId: string, settings: Record<string, unknown>): TenantSmtpServer | undefined | Error {
    try {
      const smtp = tenantSmtp(tenantId, settings, this.box);
      return smtp ? { tenantId, smtp } : undefined;
    } catch (e) {
      return new TransientDeliveryError(`the tenant's SMTP password cannot be decrypted (${e instanceof Error ? e.message : String(e)}): set it again`);
    }
  }

  async deliverDue(tenantId: string, limit = 500): Promise<DeliveryReport> {
    const now = this.clock.now();
    const [tenant] = await this.ds.query(`SELECT name, timezone, settings FROM tenants WHERE id = $1`, [tenantId]);
    if (!tenant) return { sent: 0, failed: 0, retried: 0, outsideWindow: false };
    const settings = dunningSettings(tenant.settings);
    const server = this.server(tenantId, tenant.settings);
    await this.flagInterrupted(tenantId, now);
    const open = inSendingWindow(now, tenant.timezone, settings);
    const channels: Channel[] = open ? ['email', 'letter', 'call'] : ['letter', 'call'];
    const report: DeliveryReport = { sent: 0, failed: 0, retried: 0, outsideWindow: !open };
    for (;;) {
      const [claimed]: [Row[], number] = await this.ds.query(
        `UPDATE dunning_messages m SET status = 'sending', attempts = m.attempts + 1, updated_at = $2
          WHERE m.id IN (SELECT id FROM dunning_messages
                          WHERE tenant_id = $1 AND status = 'queued' AND channel = ANY ($3::text[])
                            AND (next_attempt_at IS NULL OR next_attempt_at <= $2)
                          ORDER BY created_at, id LIMIT $4 FOR UPDATE SKIP LOCKED)
          RETURNING m.id, m.customer_id, m.channel, m.step_index, m.step_key, m.attempts`,
        [tenantId, now, channels, Math.min(limit, 100)],
      );
      if (!claimed.length) break;
      for (const msg of claimed) {
        const outcome = await this.deliverOne(tenantId, tenant, settings, server, msg, now);
        report[outcome]++;
      }
      if (report.sent + report.failed + report.retried >= limit) break;
    }
    return report;
  }

  private async flagInterrupted(tenantId: string, now: Date): Promise<void> {
    await this.ds.query(
      `UPDATE dunning_messages SET status = 'failed', last_error = 'delivery interrupted: outcome unknown, check before resending', updated_at = $2
        WHERE tenant_id = $1 AND status = 'sending' AND updated_at < $3`,
      [tenantId, now, new Date(now.getTime() - SENDING_LEASE_MS)],
    );
  }

  private async deliverOne(
    tenantId: string,
    tenant: Row,
    settings: ReturnType<typeof dunningSettings>,
    server: ReturnType<DeliveryService['server']>,
    msg: Row,
    now: Date,
  ): Promise<'sent' | 'failed' | 'retried'> {
    const [customer] = await this.ds.query(
      `SELECT c.id, c.name, c.emails, c.language, s.collector FROM customers c
         LEFT JOIN dunning_customer_settings s ON s.tenant_id = c.tenant_id AND s.customer_id = c.id
        WHERE c.tenant_id = $1 AND c.id = $2`,
      [tenantId, msg.customer_id],
    );
    const lines: Row[] = await this.ds.query(
      `SELECT r.invoice_id, i.number, to_char(i.due_date, 'YYYY-MM-DD') AS due_date, r.currency, r.outstanding_minor::text AS outstanding,
              r.interest_minor::text AS interest, r.indemnity_minor::text AS indemnity, r.step_index, r.step_key, p.definition
         FROM dunning_reminders r JOIN invoices i ON i.id = r.invoice_id JOIN dunning_policies p ON p.id = r.policy_id
        WHERE r.tenant_id = $1 AND r.message_id = $2 ORDER BY i.due_date, i.number`,
      [tenantId, msg.id],
    );
    const language: Language = customer?.language === 'en' || customer?.language === 'fr' ? customer.language : settings.defaultLanguage;
    const top = lines.reduce((a, b) => (b.step_index > a.step_index ? b : a), lines[0]);
    const def = top?.definition as PolicyDefinition | undefined;
    const found = (def?.variants ?? []).flatMap((v) => v.steps ?? []).concat(def?.steps ?? []).find((s) => s.key === msg.step_key);
    const step: PolicyStep = found ?? ({ key: msg.step_key } as PolicyStep);
    const senderName = settings.senderName ?? tenant.name;
    const content = renderMessage({
      language, customerName: customer?.name ?? '', senderName, step,
      invoices: lines.map((l) => ({
        number: l.number, dueDate: l.due_date, currency: l.currency.trim(), outstandingMinor: BigInt(l.outstanding),
        interestMinor: l.interest == null ? null : BigInt(l.interest), indemnityMinor: l.indemnity == null ? null : BigInt(l.indemnity),
      })),
    });
    let recipient: string | null = null;
    let providerId: string | null = null;
    let documentPath: string | null = null;
    try {
      if (msg.channel === 'email') {
        recipient = (customer?.emails ?? []).join(', ') || null;
        if (server instanceof Error) throw server;
        providerId = await this.email.send({
          from: settings.from ?? this.config.dunning.from, replyTo: settings.replyTo, to: customer?.emails ?? [],
          subject: content.subject, text: content.body, messageId: messageIdOf(msg.id),
          // The VERP return path is the service's mailbox: only through the service's server (a
          // tenant's own server may refuse a sender outside its domain; its bounces reach the tenant).
          returnPath: this.config.dunning.bounceAddress && !server ? verpAddress(this.config.dunning.bounceAddress, msg.id) : undefined,
        }, server);
      } else if (msg.channel === 'letter') {
        recipient = customer?.name ?? null;
        documentPath = await this.letters.render({
          tenantId, messageId: msg.id, sender: senderName, recipientName: customer?.name ?? '', date: this.clock.today(tenant.timezone),
          subject: content.subject, body: content.body,
        });
      } else {
        recipient = customer?.collector ?? null;
        await this.ds.query(
          `INSERT INTO dunning_tasks (tenant_id, customer_id, message_id, kind, status, title, assigned_to, due_date, created_at, updated_at)
           VALUES ($1, $2, $3, 'call', 'open', $4, $5, $6, $7, $7) ON CONFLICT (message_id) DO NOTHING`,
          [tenantId, msg.customer_id, msg.id, `Call ${customer?.name ?? 'customer'} (${msg.step_key}): ${lines.length} invoice(s)`, customer?.collector ?? null, this.clock.today(tenant.timezone), now],
        );
      }
    } catch (e) {
      return this.fail(tenantId, msg, lines, e, now);
    }
    await this.ds.transaction(async (m) => {
      await m.query(
        `UPDATE dunning_messages SET status = 'sent', sent_at = $2, updated_at = $2, recipient = $3, subject = $4, body = $5,
                document_path = $6, provider_message_id = $7, last_error = NULL WHERE id = $1`,
        [msg.id, now, recipient, content.subject, content.body, documentPath, providerId],
      );
      const what = msg.channel === 'call' ? 'Call task created' : msg.channel === 'letter' ? 'Letter generated' : 'E-mail sent';
      await this.events.record(m, lines.map((l) => ({
        tenantId, customerId: msg.customer_id, invoiceId: l.invoice_id, type: 'reminder_sent' as const, actor: 'system',
        message: `${what}: ${l.step_key} (${msg.channel}) on ${this.clock.today(tenant.timezone)}`,
        data: { messageId: msg.id, channel: msg.channel, stepKey: l.step_key, stepIndex: l.step_index },
      })));
    });
    return 'sent';
  }

  private async fail(tenantId: string, msg: Row, lines: Row[], e: unknown, now: Date): Promise<'failed' | 'retried'> {
    const error = e instanceof Error ? e.message : String(e);
    const permanent = e instanceof PermanentDeliveryError || msg.attempts >= this.config.dunning.maxDeliveryAttempts;
    if (!permanent) {
      const backoffMs = Math.min(2 ** (msg.attempts - 1) * 5 * 60_000, 6 * 3_600_000);
      await this.ds.query(`UPDATE dunning_messages SET status = 'queued', last_error = $2, next_attempt_at = $3, updated_at = $4 WHERE id = $1`, [
        msg.id, error, new Date(now.getTime() + backoffMs), now,
      ]);
      this.logger.warn({ tenantId, messageId: msg.id, attempts: msg.attempts, error }, 'reminder delivery deferred');
      return 'retried';
    }
    await this.ds.transaction(async (m) => {
      await m.query(`UPDATE dunning_messages SET status = 'failed', last_error = $2, updated_at = $3 WHERE id = $1`, [msg.id, error, now]);
      await this.events.record(m, lines.map((l) => ({
        tenantId, customerId: msg.customer_id, invoiceId: l.invoice_id, type: 'reminder_failed' as const, actor: 'system',
        message: `${l.step_key} (${msg.channel}) failed: ${error}`, data: { messageId: msg.id, channel: msg.channel, stepKey: l.step_key },
      })));
    });
    this.logger.warn({ tenantId, messageId: msg.id, attempts: msg.attempts, error }, 'reminder delivery failed');
    return 'failed';
  }
}
