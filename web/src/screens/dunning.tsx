import { useMemo, useState } from 'react';
import { download } from '../api/client';
import * as d from '../api/dunning';
import { customer, openInvoices } from '../api/customers';
import { Dialog, Field } from '../components/dialog';
import { Pager } from '../components/pager';
import { Panel } from '../components/panel';
import { Async, Empty, ErrorBox } from '../components/states';
import { useAsync } from '../components/use-async';
import { useSubmit } from '../components/use-submit';
import { usePaged } from '../components/use-paged';
import { parseAmountToMinor } from '../format';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { Link } from '../router';
import { useSession } from '../session';

export function DunningScreen() {
  const { t } = useI18n();
  return (
    <div>
      <h1>{t('dunning.title')}</h1>
      <div className="grid">
        <PlanPanel />
        <ApprovalsPanel />
        <TasksPanel />
        <SentPanel />
      </div>
    </div>
  );
}

const PLAN_PAGE = 20;

/** Names of the customers on screen (the plan gives ids). */
function useCustomerNames(ids: string[]) {
  return useAsync(async () => {
    const entries = await Promise.all(ids.map(async (id) => [id, (await customer(id).catch(() => null))?.name ?? id] as const));
    return new Map(entries);
  }, [ids.join()]);
}

function PlanPanel() {
  const { t, money, date, tOr, int } = useI18n();
  const { can } = useSession();
  const state = useAsync(() => (can('act') ? d.plan() : Promise.resolve(null)), []);
  const [page, setPage] = useState(0);
  /** Grouped by customer, then step, in the API's order. */
  const groups = useMemo(() => {
    const by = new Map<string, Map<string, d.PlanMessage[]>>();
    for (const m of state.data?.messages ?? []) {
      const steps = by.get(m.customerId) ?? new Map<string, d.PlanMessage[]>();
      steps.set(m.stepKey, [...(steps.get(m.stepKey) ?? []), m]);
      by.set(m.customerId, steps);
    }
    return [...by.entries()];
  }, [state.data]);
  const visible = groups.slice(page * PLAN_PAGE, (page + 1) * PLAN_PAGE);
  const names = useCustomerNames(visible.map(([id]) => id));
  if (!can('act')) {
    return (
      <Panel title={t('dunning.plan')} testId="panel-plan" wide>
        <Empty>{t('dunning.planNeedsOperator')}</Empty>
      </Panel>
    );
  }
  return (
    <Panel title={t('dunning.plan')} state={state} testId="panel-plan" wide>
      <p className="muted">{t('dunning.planIntro')}</p>
      <Async state={state} isEmpty={(p) => !p || p.messages.length === 0} empty={t('dunning.planEmpty')}>
        {(p) => (
          <>
            <p data-testid="plan-counts">
              {t('dunning.planCounts', { messages: int(p!.counts.messages), invoices: int(p!.counts.invoices), approval: int(p!.counts.pendingApproval), held: int(p!.counts.heldCustomers) })}
            </p>
            {p!.warnings.map((w) => (
              <p key={w} className="notice notice-warn">
                {w}
              </p>
            ))}
            <div className="plan">
              {visible.map(([customerId, steps]) => (
                <section key={customerId} className="plan-customer" aria-label={names.data?.get(customerId) ?? customerId}>
                  <h3>
                    <Link to={`/customers/${customerId}`}>{names.data?.get(customerId) ?? '…'}</Link>
                  </h3>
                  {[...steps.entries()].map(([step, messages]) => (
                    <div key={step} className="plan-step">
                      <span className="tag">{step}</span> <span className="muted">{messages.map((m) => tOr(`channel.${m.channel}`, m.channel)).join(', ')}</span>
                      {messages.some((m) => m.status === 'pending_approval') && <span className="tag tag-warn">{t('status.pending_approval')}</span>}
                      <ul>
                        {messages[0].invoices.map((i) => (
                          <li key={i.invoiceId}>
                            {i.number} · {date(i.dueDate)} · {money(i.outstandingMinor, i.currency)}
                            {(i.interestMinor !== null || i.indemnityMinor !== null) && (
                              <span className="muted">
                                {' '}
                                · {t('dunning.interest')} {money(i.interestMinor ?? 0, i.currency)} · {t('dunning.indemnity')} {money(i.indemnityMinor ?? 0, i.currency)}
                              </span>
                            )}
                          </li>
                        ))}
                      </ul>
                    </div>
                  ))}
                </section>
              ))}
            </div>
            {groups.length > PLAN_PAGE && (
              <nav className="pager" aria-label="pagination">
                <button type="button" className="btn" disabled={page === 0} onClick={() => setPage(page - 1)}>
                  {t('common.previous')}
                </button>
                <span>
                  {t('common.page', { n: page + 1 })} / {Math.ceil(groups.length / PLAN_PAGE)}
                </span>
                <button type="button" className="btn" disabled={(page + 1) * PLAN_PAGE >= groups.length} onClick={() => setPage(page + 1)}>
                  {t('common.next')}
                </button>
              </nav>
            )}
          </>
        )}
      </Async>
    </Panel>
  );
}

function ApprovalsPanel() {
  const { t, tOr, money, dateTime } = useI18n();
  const { can } = useSession();
  const state = useAsync(() => d.approvals(), []);
  const [rejecting, setRejecting] = useState<d.Approval | null>(null);
  const [reason, setReason] = useState('');
  const { busy, error, run } = useSubmit();
  const act = (fn: () => Promise<unknown>) =>
    run(async () => {
      await fn();
      setRejecting(null);
      setReason('');
      state.reload();
    });
  return (
    <Panel title={t('dunning.approvals')} state={state} testId="panel-approvals" wide>
      {error !== undefined && !rejecting && <ErrorBox error={error} />}
      <Async state={state} isEmpty={(a) => a.length === 0} empty={t('dunning.approvalsEmpty')}>
        {(items) => (
          <div className="table-wrap">
            <table className="table" data-testid="approvals-table">
              <thead>
                <tr>
                  <th scope="col">{t('common.customer')}</th>
                  <th scope="col">{t('dunning.step')}</th>
                  <th scope="col">{t('dunning.channel')}</th>
                  <th scope="col" className="num">
                    {t('common.invoices')}
                  </th>
                  <th scope="col">{t('common.date')}</th>
                  {can('act') && <th scope="col">{t('common.actions')}</th>}
                </tr>
              </thead>
              <tbody>
                {items.map((a) => (
                  <tr key={a.id} data-testid="approval-row">
                    <th scope="row">
                      <Link to={`/customers/${a.customerId}`}>{a.customerName}</Link>
                    </th>
                    <td>{a.stepKey}</td>
                    <td>{tOr(`channel.${a.channel}`, a.channel)}</td>
                    <td className="num">
                      <ul className="plain-list">
                        {a.invoices.map((i) => (
                          <li key={i.invoiceId}>
                            {i.number} · {money(i.outstandingMinor, i.currency)}
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td>{dateTime(a.createdAt)}</td>
                    {can('act') && (
                      <td className="actions">
                        <button type="button" className="btn btn-primary btn-small" disabled={busy} onClick={() => void act(() => d.approve(a.id))} data-testid="approve">
                          {t('dunning.approve')}
                        </button>
                        <button type="button" className="btn btn-small" disabled={busy} onClick={() => setRejecting(a)} data-testid="reject">
                          {t('common.reject')}
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Async>
      <Dialog
        title={`${t('common.reject')} · ${rejecting?.customerName ?? ''}`}
        open={!!rejecting}
        onClose={() => setRejecting(null)}
        onSubmit={() => rejecting && void act(() => d.reject(rejecting.id, reason))}
        submitLabel={t('common.reject')}
        busy={busy}
        error={error !== undefined ? <ErrorBox error={error} /> : null}
      >
        <Field label={t('dunning.rejectReason')}>
          <textarea required value={reason} onChange={(e) => setReason(e.target.value)} data-testid="reject-reason" />
        </Field>
      </Dialog>
    </Panel>
  );
}

function TasksPanel() {
  const { t, date } = useI18n();
  const { can } = useSession();
  const state = useAsync(() => d.tasks(), []);
  const [task, setTask] = useState<d.Task | null>(null);
  return (
    <Panel title={t('dunning.tasks')} state={state} testId="panel-tasks" wide>
      <Async state={state} isEmpty={(x) => x.length === 0} empty={t('dunning.tasksEmpty')}>
        {(items) => (
          <div className="table-wrap">
            <table className="table" data-testid="tasks-table">
              <thead>
                <tr>
                  <th scope="col">{t('common.customer')}</th>
                  <th scope="col">{t('dunning.task')}</th>
                  <th scope="col">{t('customer.due')}</th>
                  <th scope="col">{t('customers.collector')}</th>
                  {can('act') && <th scope="col">{t('common.actions')}</th>}
                </tr>
              </thead>
              <tbody>
                {items.map((x) => (
                  <tr key={x.id} data-testid="task-row">
                    <th scope="row">
                      <Link to={`/customers/${x.customerId}`}>{x.customerName}</Link>
                    </th>
                    <td>{x.title}</td>
                    <td>{date(x.dueDate)}</td>
                    <td>{x.assignedTo ?? '—'}</td>
                    {can('act') && (
                      <td>
                        <button type="button" className="btn btn-small" onClick={() => setTask(x)} data-testid="record-outcome">
                          {t('dunning.recordOutcome')}
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Async>
      {task && (
        <OutcomeDialog
          task={task}
          onClose={() => setTask(null)}
          onDone={() => {
            setTask(null);
            state.reload();
          }}
        />
      )}
    </Panel>
  );
}

function OutcomeDialog({ task, onClose, onDone }: { task: d.Task; onClose(): void; onDone(): void }) {
  const { t, money, date } = useI18n();
  const invoices = useAsync(() => openInvoices(task.customerId), [task.customerId]);
  const [outcome, setOutcome] = useState<d.CallOutcome>('reached');
  const [note, setNote] = useState('');
  const [when, setWhen] = useState('');
  const [amount, setAmount] = useState('');
  const [invoiceId, setInvoiceId] = useState('');
  const { busy, error, setError, run } = useSubmit();
  const open = (invoices.data ?? []).filter((i) => i.kind === 'invoice');
  const currency = open.find((i) => i.id === invoiceId)?.currency ?? open[0]?.currency ?? 'EUR';
  const submit = async () => {
    setError(undefined);
    let body: Parameters<typeof d.recordOutcome>[1] = { outcome, ...(note ? { note } : {}) };
    if (outcome === 'promise') {
      const minor = parseAmountToMinor(amount, currency);
      if (minor === null) {
        setError(new Error(`${t('common.amount')}: ${amount}`));
        return;
      }
      body = { ...body, promise: { promisedDate: when, amountMinor: minor, currency, ...(invoiceId ? { invoiceIds: [invoiceId] } : {}) } };
    }
    if (outcome === 'dispute') body = { ...body, dispute: { invoiceId, reason: note } };
    await run(async () => {
      await d.recordOutcome(task.id, body);
      onDone();
    });
  };
  return (
    <Dialog
      title={`${t('dunning.recordOutcome')} · ${task.customerName}`}
      open
      onClose={onClose}
      onSubmit={() => void submit()}
      busy={busy}
      error={error !== undefined ? <ErrorBox error={error} /> : null}
    >
      <fieldset className="radio-group">
        <legend>{t('dunning.outcome')}</legend>
        {d.CALL_OUTCOMES.map((o) => (
          <label key={o} className="radio">
            <input type="radio" name="outcome" value={o} checked={outcome === o} onChange={() => setOutcome(o)} data-testid={`outcome-${o}`} />
            {t(`outcome.${o}` as MessageKey)}
          </label>
        ))}
      </fieldset>
      {(outcome === 'promise' || outcome === 'dispute') && (
        <Field label={t('field.invoice')}>
          <select value={invoiceId} required={outcome === 'dispute'} onChange={(e) => setInvoiceId(e.target.value)} data-testid="outcome-invoice">
            <option value="">{outcome === 'promise' ? t('common.all') : ''}</option>
            {open.map((i) => (
              <option key={i.id} value={i.id}>
                {i.number} · {date(i.dueDate)} · {money(i.outstandingMinor, i.currency)}
              </option>
            ))}
          </select>
        </Field>
      )}
      {outcome === 'promise' && (
        <>
          <Field label={t('field.promisedDate')}>
            <input type="date" required value={when} onChange={(e) => setWhen(e.target.value)} data-testid="outcome-date" />
          </Field>
          <Field label={t('field.amount', { currency })}>
            <input inputMode="decimal" required value={amount} onChange={(e) => setAmount(e.target.value)} data-testid="outcome-amount" />
          </Field>
        </>
      )}
      <Field label={outcome === 'dispute' ? t('field.reason') : t('field.note')}>
        <textarea value={note} required={outcome === 'dispute'} onChange={(e) => setNote(e.target.value)} data-testid="outcome-note" />
      </Field>
    </Dialog>
  );
}

function SentPanel() {
  const { t, tOr, dateTime } = useI18n();
  const list = usePaged((cursor) => d.sentReminders(cursor), []);
  const [error, setError] = useState<unknown>(undefined);
  const get = async (id: string) => {
    setError(undefined);
    try {
      await download(id, `letter-${id.split('/')[4] ?? 'letter'}.pdf`);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Panel title={t('dunning.sent')} state={list.state} testId="panel-sent" wide>
      {error !== undefined && <ErrorBox error={error} />}
      <Async state={list.state} isEmpty={(p) => p.items.length === 0} empty={t('dunning.sentEmpty')}>
        {(p) => (
          <>
            <div className="table-wrap">
              <table className="table" data-testid="sent-table">
                <thead>
                  <tr>
                    <th scope="col">{t('common.customer')}</th>
                    <th scope="col">{t('dunning.step')}</th>
                    <th scope="col">{t('dunning.channel')}</th>
                    <th scope="col">{t('dunning.delivery')}</th>
                    <th scope="col">{t('common.date')}</th>
                    <th scope="col">{t('dunning.letter')}</th>
                  </tr>
                </thead>
                <tbody>
                  {p.items.map((m) => (
                    <tr key={m.id}>
                      <th scope="row">
                        <Link to={`/customers/${m.customerId}`}>{m.customerName}</Link>
                        {m.recipient && <div className="muted small">{m.recipient}</div>}
                      </th>
                      <td>{m.stepKey}</td>
                      <td>{tOr(`channel.${m.channel}`, m.channel)}</td>
                      <td>
                        <span className={`tag tag-${m.status}`}>{tOr(`status.${m.status}`, m.status)}</span>
                        {m.lastError && <div className="small warn-text">{m.lastError}</div>}
                      </td>
                      <td>{dateTime(m.sentAt)}</td>
                      <td>
                        {m.document ? (
                          <button type="button" className="btn btn-small" onClick={() => void get(m.document!)}>
                            {t('common.download')}
                          </button>
                        ) : (
                          '—'
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager page={list.page} hasNext={list.hasNext} onPrevious={list.previous} onNext={list.next} />
          </>
        )}
      </Async>
    </Panel>
  );
}
