import { useState } from 'react';
import { api } from '../api/client';
import { Dialog, Field } from '../components/dialog';
import { Panel } from '../components/panel';
import { Async, ErrorBox } from '../components/states';
import { useAsync } from '../components/use-async';
import { useSubmit } from '../components/use-submit';
import { useI18n } from '../i18n/i18n';

/** What GET /v1/settings answers (the parts this panel shows). */
interface TenantSettings {
  name: string;
  timezone: string;
  dunning: Record<string, unknown>;
  smtp: { host: string; port?: number; secure?: boolean; user?: string; passwordSet: boolean } | null;
  effective: {
    dunning: {
      from: string | null;
      replyTo: string | null;
      senderName: string | null;
      jurisdiction: string;
      sendingDays: number[];
      sendingHours: [number, number];
    };
  };
}

/**
 * Who reminders come from and through which server: the tenant's sender, reply-to and
 * signature, and optionally its own SMTP server (password write-only), with a check.
 */
/** ISO weekdays (1 = Monday) as short names in the page's language. */
function weekdays(days: number[], lang: string): string {
  const name = new Intl.DateTimeFormat(lang, { weekday: 'short', timeZone: 'UTC' });
  // 2024-01-01 was a Monday.
  return days.map((d) => name.format(new Date(Date.UTC(2024, 0, d)))).join(', ');
}

export function SenderPanel() {
  const { t, lang } = useI18n();
  const state = useAsync(() => api.get<TenantSettings>('/v1/settings'), []);
  const [editing, setEditing] = useState(false);
  const [check, setCheck] = useState<{ ok?: string; error?: unknown } | null>(null);
  const test = async () => {
    setCheck({});
    try {
      const r = await api.post<{ server: 'tenant' | 'service'; host: string | null }>('/v1/settings/smtp/test');
      setCheck({ ok: r.server === 'tenant' ? t('sender.testOkTenant', { host: r.host ?? '' }) : t('sender.testOkService') });
    } catch (e) {
      setCheck({ error: e });
    }
  };
  return (
    <Panel
      title={t('sender.title')}
      state={state}
      testId="panel-sender"
      actions={
        <>
          <button type="button" className="btn" onClick={() => void test()}>
            {t('sender.test')}
          </button>{' '}
          <button type="button" className="btn btn-primary" onClick={() => setEditing(true)} disabled={!state.data}>
            {t('settings.edit')}
          </button>
        </>
      }
    >
      <Async state={state}>
        {(s) => {
          const d = s.effective.dunning;
          return (
            <dl className="facts">
              <dt>{t('sender.from')}</dt>
              <dd data-testid="sender-from">{d.from ?? t('sender.serviceDefault')}</dd>
              <dt>{t('sender.replyTo')}</dt>
              <dd>{d.replyTo ?? '—'}</dd>
              <dt>{t('sender.signature')}</dt>
              <dd>{d.senderName ?? s.name}</dd>
              <dt>{t('sender.window')}</dt>
              <dd data-testid="sender-window">{t('sender.windowValue', { days: weekdays(d.sendingDays, lang), from: String(d.sendingHours[0]), to: String(d.sendingHours[1]), tz: s.timezone })}</dd>
              <dt>{t('sender.smtp')}</dt>
              <dd data-testid="sender-smtp">
                {s.smtp
                  ? `${s.smtp.host}:${s.smtp.port ?? 587}${s.smtp.user ? ` · ${s.smtp.user}` : ''} · ${s.smtp.passwordSet ? t('sender.passwordSet') : t('sender.noPassword')}`
                  : t('sender.serviceDefault')}
              </dd>
            </dl>
          );
        }}
      </Async>
      {check?.ok && (
        <p className="small ok-text" role="status" data-testid="sender-check">
          {check.ok}
        </p>
      )}
      {check?.error !== undefined && <ErrorBox error={check.error} />}
      {editing && state.data && (
        <SenderDialog
          current={state.data}
          onClose={() => setEditing(false)}
          onDone={() => {
            setEditing(false);
            setCheck(null);
            state.reload();
          }}
        />
      )}
    </Panel>
  );
}

function SenderDialog({ current, onClose, onDone }: { current: TenantSettings; onClose(): void; onDone(): void }) {
  const { t } = useI18n();
  const d = current.dunning as { from?: string; replyTo?: string; senderName?: string };
  const [from, setFrom] = useState(d.from ?? '');
  const [replyTo, setReplyTo] = useState(d.replyTo ?? '');
  const [senderName, setSenderName] = useState(d.senderName ?? '');
  const [own, setOwn] = useState(!!current.smtp);
  const [host, setHost] = useState(current.smtp?.host ?? '');
  const [port, setPort] = useState(String(current.smtp?.port ?? 587));
  const [secure, setSecure] = useState(current.smtp?.secure ?? false);
  const [user, setUser] = useState(current.smtp?.user ?? '');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useSubmit();
  const orNull = (v: string) => (v.trim() ? v.trim() : null);
  const submit = async () => {
    const body = {
      dunning: { from: orNull(from), replyTo: orNull(replyTo), senderName: orNull(senderName) },
      smtp: own ? { host: host.trim(), port: Number(port), secure, user: orNull(user), ...(password ? { password } : {}) } : null,
    };
    await run(async () => {
      await api.patch('/v1/settings', body);
      onDone();
    });
  };
  return (
    <Dialog title={t('sender.title')} open onClose={onClose} onSubmit={() => void submit()} busy={busy} error={error !== undefined ? <ErrorBox error={error} /> : null}>
      <Field label={t('sender.from')} hint={t('sender.fromHint')}>
        <input value={from} placeholder="Acme AR <ar@acme.fr>" onChange={(e) => setFrom(e.target.value)} />
      </Field>
      <Field label={t('sender.replyTo')}>
        <input value={replyTo} onChange={(e) => setReplyTo(e.target.value)} />
      </Field>
      <Field label={t('sender.signature')}>
        <input value={senderName} placeholder={current.name} onChange={(e) => setSenderName(e.target.value)} />
      </Field>
      <label className="checkbox">
        <input type="checkbox" checked={own} onChange={(e) => setOwn(e.target.checked)} /> {t('sender.ownSmtp')}
      </label>
      {own && (
        <>
          <div className="field-row">
            <Field label={t('sender.host')}>
              <input required value={host} onChange={(e) => setHost(e.target.value)} />
            </Field>
            <Field label={t('sender.port')}>
              <input required inputMode="numeric" value={port} onChange={(e) => setPort(e.target.value)} />
            </Field>
          </div>
          <label className="checkbox">
            <input type="checkbox" checked={secure} onChange={(e) => setSecure(e.target.checked)} /> {t('sender.secure')}
          </label>
          <Field label={t('sender.user')}>
            <input value={user} autoComplete="off" onChange={(e) => setUser(e.target.value)} />
          </Field>
          <Field label={t('sender.password')} hint={current.smtp?.passwordSet ? t('sender.passwordKept') : undefined}>
            <input type="password" value={password} autoComplete="new-password" onChange={(e) => setPassword(e.target.value)} />
          </Field>
        </>
      )}
    </Dialog>
  );
}
