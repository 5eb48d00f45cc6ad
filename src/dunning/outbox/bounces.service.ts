import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import { NotFoundError, ValidationError } from '../../common/errors';
import { AuditLog } from '../timeline/audit-log';
import { DunningEvents } from '../timeline/dunning-events';
import { type BounceRecipient, isPermanentFailure, parseBounce } from './bounce-report';

/** What a bounce did to one of our messages. */
export interface BounceOutcome {
  messageId: string;
  /** `failed`: the sent e-mail is now marked failed; `already_failed`: it was; `ignored`: not a permanent failure, or not a sent e-mail. */
  outcome: 'failed' | 'already_failed' | 'ignored';
  reason: string;
  recipient: string | null;
  status: string | null;
  diagnostic: string | null;
}

/** Bounces above this size are refused: a DSN is a few kilobytes, with the whole original message a few dozen. */
export const MAX_BOUNCE_BYTES = 1_000_000;

/**
 * Late bounces: a reminder e-mail accepted by our SMTP relay and refused later by the
 * customer's server comes back as a delivery status notification. Fed in here (API or CLI,
 * e.g. from the bounce mailbox or an MTA pipe), it marks the message failed, records a
 * `reminder_failed` event on the timeline of each invoice it carried (so webhooks and the
 * source's write-back hear of it) and audits who reported it. Delays and transient
 * statuses change nothing. Idempotent: the same bounce twice records it once.
 */
@Injectable()
export class BouncesService {
  private readonly logger = new Logger(BouncesService.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly events: DunningEvents,
    private readonly audit: AuditLog,
  ) {}

  async record(tenantId: string, raw: string, actor: string): Promise<{ outcomes: BounceOutcome[] }> {
    if (!raw.trim()) throw new ValidationError([{ field: 'body', message: 'empty: send the bounce message as received (message/rfc822)' }]);
    const report = parseBounce(raw);
    if (!report.messageIds.length) {
      throw new ValidationError([{
        field: 'body',
        message: 'names no reminder of ours: no Message-ID <…@ledgerbridge> in the returned headers and no VERP return path (set DUNNING_BOUNCE_ADDRESS)',
      }]);
    }
    const failure = report.recipients.find(isPermanentFailure);
    const first: BounceRecipient | undefined = failure ?? report.recipients[0];
    const messages: { id: string; customer_id: string; channel: string; status: string }[] = await this.ds.query(
      `SELECT id, customer_id, channel, status FROM dunning_messages WHERE tenant_id = $1 AND id = ANY ($2::uuid[]) ORDER BY id`,
      [tenantId, report.messageIds],
    );
    if (!messages.length) throw new NotFoundError('reminder message', report.messageIds.join(', '));

    const outcomes: BounceOutcome[] = [];
    for (const msg of messages) {
      const base = { messageId: msg.id, recipient: first?.recipient ?? null, status: first?.status ?? null, diagnostic: first?.diagnostic ?? null };
      if (!failure) {
        const what = first ? `${first.action ?? 'no action'}${first.status ? ` (${first.status})` : ''}` : 'no delivery status found';
        outcomes.push({ ...base, outcome: 'ignored', reason: `not a permanent failure: ${what}` });
        continue;
      }
      if (msg.channel !== 'email') {
        outcomes.push({ ...base, outcome: 'ignored', reason: `the message is a ${msg.channel}, not an e-mail` });
        continue;
      }
      outcomes.push(await this.markFailed(tenantId, msg, failure, actor, base));
    }
    return { outcomes };
  }

  private async markFailed(
    tenantId: string,
    msg: { id: string; customer_id: string },
    failure: BounceRecipient,
    actor: string,
    base: Omit<BounceOutcome, 'outcome' | 'reason'>,
  ): Promise<BounceOutcome> {
    const now = this.clock.now();
    const error = `bounced${failure.status ? ` (${failure.status})` : ''}${failure.recipient ? ` by ${failure.recipient}` : ''}: ${failure.diagnostic ?? 'delivery failed'}`;
    return this.ds.transaction(async (m) => {
      const [updated]: [Array<{ step_key: string }>, number] = await m.query(
        `UPDATE dunning_messages SET status = 'failed', last_error = $3, updated_at = $4
          WHERE tenant_id = $1 AND id = $2 AND channel = 'email' AND status = 'sent'
          RETURNING step_key`,
        [tenantId, msg.id, error, now],
      );
      if (!updated.length) {
        const [cur] = await m.query(`SELECT status FROM dunning_messages WHERE id = $1`, [msg.id]);
        return cur.status === 'failed'
          ? { ...base, outcome: 'already_failed' as const, reason: 'the message was already marked failed' }
          : { ...base, outcome: 'ignored' as const, reason: `the message is ${cur.status}, not sent` };
      }
      const stepKey = updated[0].step_key;
      const invoices: { invoice_id: string }[] = await m.query(`SELECT invoice_id FROM dunning_reminders WHERE tenant_id = $1 AND message_id = $2`, [tenantId, msg.id]);
      await this.events.record(m, invoices.map((r) => ({
        tenantId, customerId: msg.customer_id, invoiceId: r.invoice_id, type: 'reminder_failed' as const, actor,
        message: `${stepKey} (email) ${error}`,
        data: { messageId: msg.id, channel: 'email', stepKey, bounce: { recipient: failure.recipient, status: failure.status, diagnostic: failure.diagnostic } },
      })));
      await this.audit.record(m, { tenantId, actor, action: 'reminder.bounced', subjectType: 'dunning_message', subjectId: msg.id, data: { status: failure.status, recipient: failure.recipient } });
      this.logger.warn({ tenantId, messageId: msg.id, status: failure.status }, 'reminder e-mail bounced');
      return { ...base, outcome: 'failed' as const, reason: error };
    });
  }
}
