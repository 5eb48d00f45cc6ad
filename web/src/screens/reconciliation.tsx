import { useState } from 'react';
import { openInvoices } from '../api/customers';
import { allocate, confirm, proposed, rejectProposal, unmatched, type Unmatched } from '../api/reconciliation';
import { Dialog, Field } from '../components/dialog';
import { Pager } from '../components/pager';
import { Panel } from '../components/panel';
import { Async, ErrorBox } from '../components/states';
import { useAsync } from '../components/use-async';
import { useSubmit } from '../components/use-submit';
import { usePaged } from '../components/use-paged';
import { minorToDecimal, parseAmountToMinor } from '../format';
import { useI18n } from '../i18n/i18n';
import { Link } from '../router';
import { useSession } from '../session';

export function ReconciliationScreen() {
  const { t, money, date, tOr } = useI18n();
  const { can } = useSession();
  const props = usePaged((cursor) => proposed(cursor), []);
  const list = usePaged((cursor) => unmatched(cursor), []);
  const { busy, error, run } = useSubmit();
  const [manual, setManual] = useState<Unmatched | null>(null);
  const act = (fn: () => Promise<unknown>) =>
    run(async () => {
      await fn();
      props.state.reload();
      list.state.reload();
    });
  return (
    <div>
      <h1>{t('recon.title')}</h1>
      <p className="muted">{t('recon.intro')}</p>
      {error !== undefined && <ErrorBox error={error} />}
      <div className="grid">
        <Panel title={t('recon.suggestions')} state={props.state} testId="panel-proposed" wide>
          <Async state={props.state} isEmpty={(p) => p.items.length === 0} empty={t('recon.noSuggestion')}>
            {(p) => (
              <>
                <div className="table-wrap">
                  <table className="table" data-testid="proposed-table">
                    <thead>
                      <tr>
                        <th scope="col">{t('common.invoice')}</th>
                        <th scope="col">{t('recon.source')}</th>
                        <th scope="col" className="num">
                          {t('common.amount')}
                        </th>
                        <th scope="col">{t('common.date')}</th>
                        <th scope="col">{t('recon.rule')}</th>
                        <th scope="col" className="num">
                          {t('recon.confidence')}
                        </th>
                        {can('act') && <th scope="col">{t('common.actions')}</th>}
                      </tr>
                    </thead>
                    <tbody>
                      {p.items.map((a) => (
                        <tr key={a.id} data-testid="proposed-row">
                          <th scope="row">{a.invoiceNumber ?? a.invoiceId}</th>
                          <td>{a.paymentId ? t('recon.payment') : t('recon.creditNote')}</td>
                          <td className="num">{money(a.amountMinor, a.currency)}</td>
                          <td>{date(a.date)}</td>
                          <td>{tOr(`rule.${a.method}`, a.method)}</td>
                          <td className="num">{a.confidence}</td>
                          {can('act') && (
                            <td className="actions">
                              <button type="button" className="btn btn-small btn-primary" disabled={busy} onClick={() => void act(() => confirm(a.id))}>
                                {t('common.confirm')}
                              </button>{' '}
                              <button type="button" className="btn btn-small" disabled={busy} onClick={() => void act(() => rejectProposal(a.id))}>
                                {t('common.reject')}
                              </button>
                            </td>
                          )}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                <Pager page={props.page} hasNext={props.hasNext} onPrevious={props.previous} onNext={props.next} />
              </>
            )}
          </Async>
        </Panel>
        <Panel title={t('recon.unallocated')} state={list.state} testId="panel-unmatched" wide>
          <Async state={list.state} isEmpty={(p) => p.items.length === 0} empty={t('recon.empty')}>
            {(p) => (
              <>
                <div className="table-wrap">
                  <table className="table" data-testid="unmatched-table">
                    <thead>
                      <tr>
                        <th scope="col">{t('common.customer')}</th>
                        <th scope="col">{t('recon.source')}</th>
                        <th scope="col">{t('common.date')}</th>
                        <th scope="col">{t('recon.reference')}</th>
                        <th scope="col" className="num">
                          {t('common.amount')}
                        </th>
                        <th scope="col" className="num">
                          {t('recon.unallocated')}
                        </th>
                        {can('act') && <th scope="col">{t('common.actions')}</th>}
                      </tr>
                    </thead>
                    <tbody>
                      {p.items.map((u) => (
                        <tr key={u.id} data-testid="unmatched-row">
                          <th scope="row">{u.customerId ? <Link to={`/customers/${u.customerId}`}>{u.customerName ?? u.customerRef}</Link> : u.customerRef}</th>
                          <td>{u.type === 'payment' ? t('recon.payment') : t('recon.creditNote')}</td>
                          <td>{date(u.date)}</td>
                          <td>{u.reference ?? '—'}</td>
                          <td className="num">{money(u.amountMinor, u.currency)}</td>
                          <td className="num">{money(u.unallocatedMinor, u.currency)}</td>
                          {can('act') && (
                            <td>
                              <button type="button" className="btn btn-small" disabled={!u.customerId} onClick={() => setManual(u)}>
                                {t('recon.matchByHand')}
                              </button>
                            </td>
                          )}
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
      </div>
      {manual && (
        <ManualMatch
          u={manual}
          onClose={() => setManual(null)}
          onDone={() => {
            setManual(null);
            props.state.reload();
            list.state.reload();
          }}
        />
      )}
    </div>
  );
}

/** Match by hand: the customer's open invoices in the same currency are the candidates. */
function ManualMatch({ u, onClose, onDone }: { u: Unmatched; onClose(): void; onDone(): void }) {
  const { t, money, date } = useI18n();
  const invoices = useAsync(() => openInvoices(u.customerId!), [u.customerId]);
  const [invoiceId, setInvoiceId] = useState('');
  const [amount, setAmount] = useState(minorToDecimal(u.unallocatedMinor, u.currency));
  const { busy, error, setError, run } = useSubmit();
  const candidates = (invoices.data ?? []).filter((i) => i.kind === 'invoice' && i.currency === u.currency && i.outstandingMinor > 0);
  const submit = async () => {
    const minor = parseAmountToMinor(amount, u.currency);
    if (minor === null || minor <= 0) return setError(new Error(`${t('common.amount')}: ${amount}`));
    await run(async () => {
      await allocate(u, invoiceId, minor);
      onDone();
    });
  };
  return (
    <Dialog title={`${t('recon.matchByHand')} · ${u.customerName ?? u.customerRef}`} open onClose={onClose} onSubmit={() => void submit()} busy={busy} error={error !== undefined ? <ErrorBox error={error} /> : null}>
      <p>
        {u.type === 'payment' ? t('recon.payment') : t('recon.creditNote')} {date(u.date)} · {money(u.unallocatedMinor, u.currency)} {u.reference ? `· ${u.reference}` : ''}
      </p>
      <Field label={t('common.invoice')}>
        <select required value={invoiceId} onChange={(e) => setInvoiceId(e.target.value)} data-testid="match-invoice">
          <option value="" disabled />
          {candidates.map((i) => (
            <option key={i.id} value={i.id}>
              {i.number} · {date(i.dueDate)} · {money(i.outstandingMinor, i.currency)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('field.amount', { currency: u.currency })}>
        <input required inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} data-testid="match-amount" />
      </Field>
    </Dialog>
  );
}
