import { useState } from 'react';
import { api } from '../api/client';
import { policies, type PolicyStep } from '../api/dunning';
import type { ApiKeyView, Connection, Provider } from '../api/types';
import { Dialog, Field } from '../components/dialog';
import { Panel } from '../components/panel';
import { Async, ErrorBox, Empty } from '../components/states';
import { useAsync } from '../components/use-async';
import { useSubmit } from '../components/use-submit';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { useSession } from '../session';
import { SenderPanel } from './sender-settings';

export function SettingsScreen() {
  const { t } = useI18n();
  const { can } = useSession();
  if (!can('configure')) return <Empty>{t('role.admin')}</Empty>;
  return (
    <div>
      <h1>{t('settings.title')}</h1>
      <div className="grid">
        <ConnectionsPanel />
        <PoliciesPanel />
        <SenderPanel />
        <KeysPanel />
      </div>
    </div>
  );
}

function parseJson(text: string): Record<string, unknown> | undefined | Error {
  if (!text.trim()) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : new Error('object expected');
  } catch (e) {
    return e as Error;
  }
}

function ConnectionsPanel() {
  const { t, dateTime, tOr } = useI18n();
  const state = useAsync(() => api.get<{ items: Connection[] }>('/v1/connections'), []);
  const providers = useAsync(() => api.get<{ items: Provider[] }>('/v1/providers'), []);
  const [editing, setEditing] = useState<Connection | 'new' | null>(null);
  const [tested, setTested] = useState<{ id: string; ok?: boolean; error?: unknown } | null>(null);
  const test = async (c: Connection) => {
    setTested({ id: c.id });
    try {
      await api.post(`/v1/connections/${c.id}/test`);
      setTested({ id: c.id, ok: true });
    } catch (e) {
      setTested({ id: c.id, error: e });
    }
  };
  return (
    <Panel
      title={t('settings.connections')}
      state={state}
      testId="panel-settings-connections"
      wide
      actions={
        <button type="button" className="btn btn-primary" onClick={() => setEditing('new')}>
          {t('settings.newConnection')}
        </button>
      }
    >
      <Async state={state} isEmpty={(c) => c.items.length === 0} empty={t('overview.noConnections')}>
        {(c) => (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('settings.name')}</th>
                  <th scope="col">{t('settings.provider')}</th>
                  <th scope="col">{t('settings.cron')}</th>
                  <th scope="col">{t('common.status')}</th>
                  <th scope="col">{t('overview.lastSuccess')}</th>
                  <th scope="col">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {c.items.map((x) => (
                  <tr key={x.id}>
                    <th scope="row">{x.name}</th>
                    <td>{x.provider}</td>
                    <td>{x.schedule ? `${x.schedule.cron} (${x.schedule.timezone})` : '—'}</td>
                    <td>
                      <span className={`tag tag-${x.enabled ? x.status : 'disabled'}`}>{x.enabled ? tOr(`conn.status.${x.status}`, x.status) : t('conn.disabled')}</span>
                    </td>
                    <td>{dateTime(x.lastSuccessAt)}</td>
                    <td className="actions">
                      <button type="button" className="btn btn-small" onClick={() => setEditing(x)}>
                        {t('settings.edit')}
                      </button>{' '}
                      <button type="button" className="btn btn-small" onClick={() => void test(x)}>
                        {t('settings.test')}
                      </button>
                      {tested?.id === x.id && tested.ok && (
                        <div className="small ok-text" role="status">
                          {t('settings.testOk')}
                        </div>
                      )}
                      {tested?.id === x.id && tested.error !== undefined && <ErrorBox error={tested.error} />}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Async>
      {editing && (
        <ConnectionDialog
          connection={editing === 'new' ? null : editing}
          providers={providers.data?.items ?? []}
          onClose={() => setEditing(null)}
          onDone={() => {
            setEditing(null);
            state.reload();
          }}
        />
      )}
    </Panel>
  );
}

function ConnectionDialog({ connection, providers, onClose, onDone }: { connection: Connection | null; providers: Provider[]; onClose(): void; onDone(): void }) {
  const { t } = useI18n();
  const [provider, setProvider] = useState(connection?.provider ?? providers[0]?.id ?? '');
  const [name, setName] = useState(connection?.name ?? '');
  const [cron, setCron] = useState(connection?.schedule?.cron ?? '');
  const [timezone, setTimezone] = useState(connection?.schedule?.timezone ?? 'Europe/Paris');
  const [settings, setSettings] = useState(connection ? JSON.stringify(connection.settings, null, 2) : '{}');
  const [credentials, setCredentials] = useState('');
  const [enabled, setEnabled] = useState(connection?.enabled ?? true);
  const { busy, error, setError, run } = useSubmit();
  const submit = async () => {
    const s = parseJson(settings);
    const c = parseJson(credentials);
    if (s instanceof Error || c instanceof Error) {
      setError(new Error(`${t('settings.invalidJson')}: ${(s instanceof Error ? s : (c as Error)).message}`));
      return;
    }
    const body = {
      name,
      ...(s ? { settings: s } : {}),
      ...(c ? { credentials: c } : {}),
      schedule: cron.trim() ? { cron: cron.trim(), timezone } : null,
      enabled,
    };
    await run(async () => {
      if (connection) await api.patch(`/v1/connections/${connection.id}`, body);
      else await api.post('/v1/connections', { ...body, provider, schedule: body.schedule ?? undefined });
      onDone();
    });
  };
  return (
    <Dialog
      title={connection ? `${t('settings.edit')} · ${connection.name}` : t('settings.newConnection')}
      open
      onClose={onClose}
      onSubmit={() => void submit()}
      busy={busy}
      error={error !== undefined ? <ErrorBox error={error} /> : null}
    >
      {!connection && (
        <Field label={t('settings.provider')}>
          <select value={provider} onChange={(e) => setProvider(e.target.value)} required>
            {providers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.displayName}
              </option>
            ))}
          </select>
        </Field>
      )}
      <Field label={t('settings.name')}>
        <input required value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <div className="field-row">
        <Field label={t('settings.cron')}>
          <input value={cron} placeholder="0 2 * * *" onChange={(e) => setCron(e.target.value)} />
        </Field>
        <Field label={t('settings.timezone')}>
          <input value={timezone} onChange={(e) => setTimezone(e.target.value)} />
        </Field>
      </div>
      <Field label={t('settings.settingsJson')}>
        <textarea className="mono" rows={4} value={settings} onChange={(e) => setSettings(e.target.value)} />
      </Field>
      <Field label={t('settings.credentials')} hint={connection?.hasCredentials ? t('settings.credentialsSet') : undefined}>
        <textarea className="mono" rows={3} value={credentials} autoComplete="off" onChange={(e) => setCredentials(e.target.value)} />
      </Field>
      <label className="checkbox">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> {t('settings.enabled')}
      </label>
    </Dialog>
  );
}

type Template = { subject: string; body: string };

function PoliciesPanel() {
  const { t, lang, tOr } = useI18n();
  const state = useAsync(() => policies(), []);
  const builtIn = useAsync(() => api.get<{ templates: Record<string, Record<string, Template>> }>('/v1/dashboard/templates'), []);
  const [preview, setPreview] = useState<{ title: string; template: Template | null } | null>(null);
  const show = (step: PolicyStep) => {
    const own = step.templates?.[lang] ?? null;
    setPreview({ title: step.key, template: own ?? builtIn.data?.templates[step.key]?.[lang] ?? null });
  };
  return (
    <Panel title={t('settings.policies')} state={state} testId="panel-policies" wide>
      <Async state={state} isEmpty={(p) => p.length === 0} empty={t('settings.policiesEmpty')}>
        {(items) => (
          <div className="policies">
            {items.map((p) => (
              <section key={p.id} className="policy">
                <h3>
                  {p.name} {p.isDefault && <span className="tag">{t('settings.default')}</span>}
                </h3>
                <ol className="steps">
                  {p.steps.map((s, i) => (
                    <li key={s.key}>
                      <strong>{s.key}</strong> · {t(`trigger.${s.trigger.from}` as MessageKey, { days: s.trigger.days })} ·{' '}
                      {s.channels.map((c) => tOr(`channel.${c}`, c)).join(', ')}
                      {(s.requiresApproval ?? i >= 2) && <span className="tag tag-warn">{t('status.pending_approval')}</span>}{' '}
                      {s.channels.some((c) => c !== 'call') && (
                        <button type="button" className="btn btn-small" onClick={() => show(s)}>
                          {t('settings.preview')}
                        </button>
                      )}
                    </li>
                  ))}
                </ol>
              </section>
            ))}
          </div>
        )}
      </Async>
      <Dialog title={preview?.title ?? ''} open={!!preview} onClose={() => setPreview(null)} onSubmit={() => setPreview(null)} submitLabel={t('common.close')}>
        {preview?.template ? (
          <>
            <p>
              <strong>{preview.template.subject}</strong>
            </p>
            <pre className="message-body">{preview.template.body}</pre>
          </>
        ) : (
          <Empty />
        )}
      </Dialog>
    </Panel>
  );
}

function KeysPanel() {
  const { t, dateTime } = useI18n();
  const state = useAsync(() => api.get<{ items: ApiKeyView[] }>('/v1/api-keys'), []);
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [role, setRole] = useState('viewer');
  const [created, setCreated] = useState<string | null>(null);
  const { error, run } = useSubmit();
  const create = () =>
    run(async () => {
      const k = await api.post<{ apiKey: string }>('/v1/api-keys', { name, role });
      setCreated(k.apiKey);
      setCreating(false);
      setName('');
      state.reload();
    });
  const revoke = (id: string) =>
    run(async () => {
      await api.delete(`/v1/api-keys/${id}`);
      state.reload();
    });
  return (
    <Panel
      title={t('settings.keys')}
      state={state}
      testId="panel-keys"
      wide
      actions={
        <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
          {t('settings.newKey')}
        </button>
      }
    >
      {created && (
        <div className="notice notice-warn" role="status">
          {t('settings.keyCreated')} <code className="secret">{created}</code>
          <button type="button" className="btn btn-small" onClick={() => setCreated(null)}>
            {t('common.close')}
          </button>
        </div>
      )}
      {error !== undefined && !creating && <ErrorBox error={error} />}
      <Async state={state}>
        {(k) => (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('settings.name')}</th>
                  <th scope="col">{t('settings.role')}</th>
                  <th scope="col">{t('settings.prefix')}</th>
                  <th scope="col">{t('settings.lastUsed')}</th>
                  <th scope="col">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {k.items.map((x) => (
                  <tr key={x.id}>
                    <th scope="row">{x.name}</th>
                    <td>{t(`role.${x.role}` as MessageKey)}</td>
                    <td>
                      <code>{x.prefix}</code>
                    </td>
                    <td>{dateTime(x.lastUsedAt)}</td>
                    <td>
                      {x.revokedAt ? (
                        <span className="tag tag-disabled">{t('settings.revoked')}</span>
                      ) : (
                        <button type="button" className="btn btn-small btn-danger" onClick={() => void revoke(x.id)}>
                          {t('settings.revoke')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Async>
      <Dialog title={t('settings.newKey')} open={creating} onClose={() => setCreating(false)} onSubmit={() => void create()} error={error !== undefined ? <ErrorBox error={error} /> : null}>
        <Field label={t('settings.name')}>
          <input required value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label={t('settings.role')}>
          <select value={role} onChange={(e) => setRole(e.target.value)}>
            {(['viewer', 'operator', 'admin'] as const).map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </Field>
      </Dialog>
    </Panel>
  );
}
