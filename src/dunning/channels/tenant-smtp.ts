import type { SecretBox } from '../../common/crypto/secret-box';

/** An SMTP server of reminder e-mails: the tenant's own, when it has one. */
export interface SmtpServer {
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  pass: string | null;
}

/** A tenant's own server, as the e-mail channel takes it (one transport per tenant). */
export interface TenantSmtpServer {
  tenantId: string;
  smtp: SmtpServer;
}

/** Associated data binding a tenant's sealed SMTP password to that tenant. */
export const smtpSecretAad = (tenantId: string): string => `tenant-smtp:${tenantId}`;

/**
 * The tenant's own SMTP server from `tenants.settings.smtp` (`{host, port, secure, user,
 * passwordSealed}`), its password decrypted; null when the tenant uses the service's.
 */
export function tenantSmtp(tenantId: string, settings: Record<string, unknown> | null | undefined, box: SecretBox): SmtpServer | null {
  const s = settings?.smtp as { host?: string; port?: number; secure?: boolean; user?: string; passwordSealed?: string } | undefined;
  if (!s?.host) return null;
  return {
    host: s.host,
    port: s.port ?? 587,
    secure: s.secure ?? false,
    user: s.user ?? null,
    pass: s.passwordSealed ? box.open(s.passwordSealed, smtpSecretAad(tenantId)) : null,
  };
}
