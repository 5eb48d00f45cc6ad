import { useState } from 'react';
import { download } from '../api/client';
import { customer, dunningSettings, openInvoices, score } from '../api/customers';
import { disputes, resolveDispute, timeline, type TimelineEntry } from '../api/dunning';
import { encours } from '../api/reports';
import { Kpi, Panel } from '../components/panel';
import { Async, ErrorBox } from '../components/states';
import { useAsync } from '../components/use-async';
import { useI18n } from '../i18n/i18n';
import { Link } from '../router';
import { useSession } from '../session';
import { CustomerActionDialog, type ActionKind } from './customer-actions';

function TimelineItem({ e }: { e: TimelineEntry }) {
  const { t, tOr, dateTime } = useI18n();
  const [error, setError] = useState<unknown>(undefined);
  if (e.kind === 'message') {
    return (
      <li className="timeline-item tl-message" data-type={`message-${e.channel}`}>
        <time dateTime={e.at}>{dateTime(e.at)}</time>
        <span className="tag">{tOr(`channel.${e.channel}`, e.channel)}</span> <span className={`tag tag-${e.status}`}>{tOr(`status.${e.status}`, e.status)}</span>{' '}
        <strong>{e.stepKey}</strong>
        {e.recipient && <span className="muted small"> → {e.recipient}</span>}
        {e.error && <div className="small warn-text">{e.error}</div>}
        {(e.subject || e.body) && (
          <details>
            <summary>{e.subject ?? t('common.open')}</summary>
            {e.body && <pre className="message-body">{e.body}</pre>}
          </details>
        )}
        {e.document && (
          <button type="button" className="btn btn-small" onClick={() => download(e.document!, `${e.stepKey}-${e.id}.pdf`).catch(setError)}>
            {t('dunning.letter')}
          </button>
        )}
        {error !== undefined && <ErrorBox error={error} />}
      </li>
    );
  }
  return (
    <li className={`timeline-item tl-${e.type}`} data-type={e.type}>
      <time dateTime={e.at}>{dateTime(e.at)}</time>
      <span className={`tag tag-${e.type}`}>{tOr(`event.${e.type}`, e.type.replace(/_/g, ' '))}</span>
      <div className="timeline-message">{e.message}</div>
    </li>
  );
}

function ScorePanel({ id }: { id: string }) {
  const { t, tOr, int } = useI18n();
  const state = useAsync(() => score(id), [id]);
  return (
    <Panel title={t('customers.score')} state={state} testId="panel-score">
      <Async state={state}>
        {(s) => (
          <>
            <div className="kpi-row">
              <Kpi label={t('customers.score')} value={`${int(s.score)} / 100`} testId="score" />
              <Kpi label={t('customers.segment')} value={tOr(`segment.${s.segment}`, s.segment)} tone={s.segment === 'good' ? 'good' : s.segment === 'risky' ? 'bad' : 'warn'} />
            </div>
            <table className="table small">
              <caption>{t('customer.scoreComponents')}</caption>
              <tbody>
                {Object.entries(s.components).map(([k, c]) => (
                  <tr key={k}>
                    <th scope="row">{tOr(`score.${k}`, k)}</th>
                    <td className="num">{c.value === null ? '—' : String(c.value)}</td>
                    <td className="num">
                      −{int(c.penalty)} / {int(c.max)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </Async>
    </Panel>
  );
}

export function CustomerScreen({ id }: { id: string }) {
  const { t, tOr, money, date, dateTime } = useI18n();
  const { can } = useSession();
  const cust = useAsync(() => customer(id), [id]);
  const inv = useAsync(() => openInvoices(id), [id]);
  const figures = useAsync(() => encours(undefined, id), [id]);
  const events = useAsync(() => timeline(id), [id]);
  const open = useAsync(() => disputes(id), [id]);
  const settings = useAsync(() => dunningSettings(id), [id]);
  const [action, setAction] = useState<{ kind: ActionKind; invoiceId?: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(undefined);
  const currency = cust.data?.currency ?? inv.data?.[0]?.currency ?? 'EUR';
  const refresh = () => {
    inv.reload();
    figures.reload();
    events.reload();
    open.reload();
    settings.reload();
  };
  const done = () => {
    setAction(null);
    setNotice(t('action.done'));
    refresh();
  };
  const resolve = async (disputeId: string) => {
    setActionError(undefined);
    try {
      await resolveDispute(disputeId);
      done();
    } catch (e) {
      setActionError(e);
    }
  };
  return (
    <div data-testid="customer-page">
      <p>
        <Link to="/customers">← {t('customers.title')}</Link>
      </p>
      <Async state={cust}>
        {(c) => (
          <>
            <h1>{c.name}</h1>
            <p className="muted">
              {[...c.emails, ...c.phones, ...(c.termsDays !== null ? [t('customer.terms', { days: c.termsDays })] : [])].join(' · ')}
            </p>
            {settings.data && (
              <p className="small" data-testid="collector">
                {t('customers.collector')} : {settings.data.collector ?? t('common.none')}
                {settings.data.excluded && <span className="tag tag-warn"> {settings.data.exclusionReason ?? 'excluded'}</span>}
              </p>
            )}
          </>
        )}
      </Async>
      {notice && (
        <p className="notice notice-ok" role="status">
          {notice}
        </p>
      )}
      {actionError !== undefined && <ErrorBox error={actionError} />}
      {can('act') && (
        <div className="toolbar" data-testid="customer-actions">
          {(['dispute', 'promise', 'pause', 'note', 'collector', 'policy'] as ActionKind[]).filter((k) => k !== 'policy' || can('configure')).map((k) => (
            <button key={k} type="button" className="btn" onClick={() => setAction({ kind: k })} data-testid={`action-${k}`}>
              {t(
                ({ dispute: 'action.openDispute', promise: 'action.recordPromise', pause: 'action.pause', note: 'action.addNote', collector: 'action.assign', policy: 'action.policy' } as const)[k],
              )}
            </button>
          ))}
        </div>
      )}
      <div className="grid">
        <Panel title={t('overview.encours')} state={figures} testId="panel-customer-encours">
          <Async state={figures} isEmpty={(r) => r.length === 0}>
            {(rows) => (
              <div className="kpi-rows">
                {rows.map((r) => (
                  <div className="kpi-row" key={r.currency}>
                    <Kpi label={`${t('overview.encours')} (${r.currency})`} value={money(r.totalMinor, r.currency)} testId={`customer-encours-${r.currency}`} />
                    <Kpi label={t('overview.overdue')} value={money(r.overdueMinor, r.currency)} tone="bad" />
                    <Kpi label={t('overview.notDue')} value={money(r.notDueMinor, r.currency)} tone="good" />
                    <Kpi label={t('overview.disputed')} value={money(r.disputedMinor, r.currency)} tone="warn" testId={`customer-disputed-${r.currency}`} />
                  </div>
                ))}
              </div>
            )}
          </Async>
        </Panel>
        <ScorePanel id={id} />
        <Panel title={t('customer.openInvoices')} state={inv} testId="panel-invoices" wide>
          <Async state={inv} isEmpty={(i) => i.length === 0} empty={t('customer.noOpenInvoices')}>
            {(items) => (
              <div className="table-wrap">
                <table className="table" data-testid="invoices-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('common.invoice')}</th>
                      <th scope="col">{t('customer.issued')}</th>
                      <th scope="col">{t('customer.due')}</th>
                      <th scope="col" className="num">
                        {t('customer.total')}
                      </th>
                      <th scope="col" className="num">
                        {t('customer.outstanding')}
                      </th>
                      <th scope="col">{t('common.status')}</th>
                      {can('act') && <th scope="col">{t('common.actions')}</th>}
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((i) => {
                      const dispute = open.data?.find((d) => d.invoiceId === i.id && d.status === 'open');
                      return (
                        <tr key={i.id}>
                          <th scope="row">{i.number}</th>
                          <td>{date(i.issueDate)}</td>
                          <td>{date(i.dueDate)}</td>
                          <td className="num">{money(i.kind === 'credit_note' ? -i.totalMinor : i.totalMinor, i.currency)}</td>
                          <td className="num">{money(i.kind === 'credit_note' ? -i.outstandingMinor : i.outstandingMinor, i.currency)}</td>
                          <td>{dispute ? <span className="tag tag-dispute" title={dispute.reason}>{t('overview.disputed')}</span> : tOr(`invoice.${i.status}`, i.status)}</td>
                          {can('act') && (
                            <td>
                              {dispute ? (
                                <button type="button" className="btn btn-small" onClick={() => void resolve(dispute.id)}>
                                  {t('action.resolveDispute')}
                                </button>
                              ) : (
                                <button type="button" className="btn btn-small" onClick={() => setAction({ kind: 'dispute', invoiceId: i.id })}>
                                  {t('action.openDispute')}
                                </button>
                              )}
                            </td>
                          )}
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )}
          </Async>
        </Panel>
        <Panel title={t('customer.timeline')} state={events} testId="panel-timeline" wide>
          <Async state={events} isEmpty={(e) => e.length === 0} empty={t('customer.noTimeline')}>
            {(items) => (
              <ol className="timeline" data-testid="timeline">
                {items.map((e) => (
                  <TimelineItem key={`${e.kind}-${e.id}`} e={e} />
                ))}
              </ol>
            )}
          </Async>
        </Panel>
      </div>
      {action && (
        <CustomerActionDialog
          key={`${action.kind}-${action.invoiceId ?? ''}`}
          kind={action.kind}
          customerId={id}
          currency={currency}
          invoices={(inv.data ?? []).filter((i) => i.kind === 'invoice')}
          presetInvoiceId={action.invoiceId}
          collector={settings.data?.collector ?? ''}
          onClose={() => setAction(null)}
          onDone={done}
        />
      )}
    </div>
  );
}
