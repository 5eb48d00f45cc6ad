import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SECRET_BOX, SecretBox } from '../common/crypto/secret-box';
import { DomainError, NotFoundError } from '../common/errors';
import { readReceivablesSettings } from '../dunning/analytics/receivables-settings';
import { EmailChannel } from '../dunning/channels/email.channel';
import { smtpSecretAad, tenantSmtp } from '../dunning/channels/tenant-smtp';
import { dunningSettings } from '../dunning/engine/dunning-settings';
import { AuditLog } from '../dunning/timeline/audit-log';
import { mergeSettings, parseSettingsPatch } from './settings-patch';

/** The tenant's SMTP server refused the connection or the credentials. */
export class SmtpCheckError extends DomainError {
  readonly status = 422;
  override readonly title = 'SMTP check failed';
}

type Stored = Record<string, unknown>;

/**
 * A tenant's settings (admin): name, timezone, and the reconciliation, aging, scoring,
 * dunning and SMTP sections of `tenants.settings`. The SMTP password is sealed (SecretBox,
 * bound to the tenant) and never returned; changes are audited without it.
 */
@Injectable()
export class TenantSettingsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    private readonly audit: AuditLog,
    private readonly email: EmailChannel,
  ) {}

  async get(tenantId: string) {
    const t = await this.tenant(tenantId);
    return this.view(t);
  }

  async update(tenantId: string, body: unknown, actor: string) {
    return this.ds.transaction(async (m) => {
      const rows: Array<{ id: string; name: string; timezone: string; settings: Stored }> = await m.query(
        `SELECT id, name, timezone, settings FROM tenants WHERE id = $1 FOR UPDATE`,
        [tenantId],
      );
      if (!rows.length) throw new NotFoundError('tenant', tenantId);
      const t = rows[0];
      const stored = t.settings ?? {};
      const patch = parseSettingsPatch(body, stored);
      const next = mergeSettings(stored, patch);
      if (next.smtp && patch.smtpPassword !== undefined) {
        const smtp = { ...(next.smtp as Stored) };
        if (patch.smtpPassword === null) delete smtp.passwordSealed;
        else smtp.passwordSealed = this.box.seal(patch.smtpPassword, smtpSecretAad(tenantId));
        next.smtp = smtp;
      }
      const name = patch.name ?? t.name;
      const timezone = patch.timezone ?? t.timezone;
      await m.query(`UPDATE tenants SET name = $2, timezone = $3, settings = $4 WHERE id = $1`, [tenantId, name, timezone, JSON.stringify(next)]);
      const changed = [...(patch.name !== undefined ? ['name'] : []), ...(patch.timezone !== undefined ? ['timezone'] : []), ...Object.keys(patch.sections)];
      await this.audit.record(m, {
        tenantId, actor, action: 'settings.updated', subjectType: 'tenant', subjectId: tenantId,
        data: { changed, ...(patch.smtpPassword !== undefined ? { smtpPassword: patch.smtpPassword === null ? 'removed' : 'set' } : {}) },
      });
      // view() reads every section: a stored value this version no longer accepts fails here and rolls the change back.
      return this.view({ id: tenantId, name, timezone, settings: next });
    });
  }

  /** Connects to the SMTP server reminders of this tenant go through, and authenticates. */
  async testSmtp(tenantId: string): Promise<{ ok: true; server: 'tenant' | 'service'; host: string | null }> {
    const t = await this.tenant(tenantId);
    const smtp = tenantSmtp(tenantId, t.settings, this.box);
    try {
      await this.email.verify(smtp ? { tenantId, smtp } : undefined);
    } catch (e) {
      throw new SmtpCheckError(e instanceof Error ? e.message : String(e), { cause: e });
    }
    return { ok: true, server: smtp ? 'tenant' : 'service', host: smtp?.host ?? null };
  }

  private async tenant(tenantId: string): Promise<{ id: string; name: string; timezone: string; settings: Stored }> {
    const rows = await this.ds.query(`SELECT id, name, timezone, settings FROM tenants WHERE id = $1`, [tenantId]);
    if (!rows.length) throw new NotFoundError('tenant', tenantId);
    return rows[0];
  }

  private view(t: { id: string; name: string; timezone: string; settings: Stored }) {
    const s = t.settings ?? {};
    const smtp = s.smtp as (Stored & { passwordSealed?: string }) | undefined;
    const { passwordSealed, ...smtpShown } = smtp ?? {};
    const pick = (k: string) => (s[k] && typeof s[k] === 'object' ? s[k] : {});
    const rec = readReceivablesSettings(s);
    return {
      name: t.name,
      timezone: t.timezone,
      reconciliation: pick('reconciliation'),
      aging: pick('aging'),
      scoring: pick('scoring'),
      dunning: pick('dunning'),
      smtp: smtp ? { ...smtpShown, passwordSet: !!passwordSealed } : null,
      effective: {
        reconciliation: { oldestFirst: rec.oldestFirst },
        aging: { buckets: rec.bucketBounds },
        scoring: { goodFrom: rec.goodFrom, watchFrom: rec.watchFrom },
        dunning: dunningSettings(s),
      },
    };
  }
}
