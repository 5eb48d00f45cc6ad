import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { APP_CONFIG } from '../../common/config/config.module';
import type { AppConfig } from '../../common/config/app-config';
import { DomainError } from '../../common/errors';
import type { TenantSmtpServer } from './tenant-smtp';

/** A delivery that must not be retried (bounce, rejected recipient, no address). */
export class PermanentDeliveryError extends DomainError {
  readonly status = 422;
  override readonly title = 'Delivery failed';
}

/** A delivery worth retrying later (connection refused, 4xx from the server). */
export class TransientDeliveryError extends DomainError {
  readonly status = 503;
  override readonly title = 'Delivery deferred';
}

export interface OutgoingEmail {
  from: string;
  replyTo: string | null;
  to: string[];
  subject: string;
  text: string;
  /** Stable id so that the receiving side can recognise a duplicate. */
  messageId: string;
  /** Envelope sender (return path) when it differs from `from`: where bounces go. */
  returnPath?: string;
}

/**
 * Reminder e-mails through SMTP (nodemailer): the service's server (SMTP_URL or
 * SMTP_HOST/PORT/USER/PASS), or a tenant's own (`server`), one pooled transport each,
 * replaced when the tenant changes its server.
 */
@Injectable()
export class EmailChannel implements OnModuleDestroy {
  private transport: Transporter | null = null;
  private readonly tenantTransports = new Map<string, { fingerprint: string; transport: Transporter }>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get configured(): boolean {
    return !!(this.config.smtp.url || this.config.smtp.host);
  }

  private transporter(server?: TenantSmtpServer): Transporter {
    if (server) {
      const fingerprint = JSON.stringify(server.smtp);
      const cached = this.tenantTransports.get(server.tenantId);
      if (cached?.fingerprint === fingerprint) return cached.transport;
      cached?.transport.close();
      const { host, port, secure, user, pass } = server.smtp;
      const transport = nodemailer.createTransport({ host, port, secure, auth: user ? { user, pass: pass ?? '' } : undefined });
      this.tenantTransports.set(server.tenantId, { fingerprint, transport });
      return transport;
    }
    if (this.transport) return this.transport;
    const s = this.config.smtp;
    if (!this.configured) throw new TransientDeliveryError('no SMTP server configured (SMTP_URL or SMTP_HOST)');
    this.transport = s.url
      ? nodemailer.createTransport(s.url)
      : nodemailer.createTransport({ host: s.host, port: s.port, secure: s.secure, auth: s.user ? { user: s.user, pass: s.pass ?? '' } : undefined });
    return this.transport;
  }

  /** Connects and authenticates to the server (the tenant's, or the service's), sending nothing. */
  async verify(server?: TenantSmtpServer): Promise<void> {
    try {
      await this.transporter(server).verify();
    } catch (e) {
      if (e instanceof TransientDeliveryError) throw e;
      throw new TransientDeliveryError(`SMTP: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }

  async send(mail: OutgoingEmail, server?: TenantSmtpServer): Promise<string> {
    if (!mail.to.length) throw new PermanentDeliveryError('the customer has no e-mail address');
    try {
      const info = await this.transporter(server).sendMail({
        from: mail.from,
        replyTo: mail.replyTo ?? undefined,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
        envelope: mail.returnPath ? { from: mail.returnPath, to: mail.to } : undefined,
      });
      if (info.rejected?.length && !info.accepted?.length) throw new PermanentDeliveryError(`rejected by the server: ${info.response}`);
      return info.messageId;
    } catch (e) {
      if (e instanceof PermanentDeliveryError) throw e;
      const code = (e as { responseCode?: number }).responseCode;
      const text = e instanceof Error ? e.message : String(e);
      if (code && code >= 500) throw new PermanentDeliveryError(`bounced (${code}): ${text}`, { cause: e });
      throw new TransientDeliveryError(`SMTP: ${text}`, { cause: e });
    }
  }

  onModuleDestroy(): void {
    this.transport?.close();
    for (const t of this.tenantTransports.values()) t.transport.close();
  }
}
