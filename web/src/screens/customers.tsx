import { useMemo, useState } from 'react';
import { portfolio } from '../api/customers';
import { Panel } from '../components/panel';
import { Async } from '../components/states';
import { useAsync } from '../components/use-async';
import { filterAndSort, type ListFilter, type SortKey } from '../customer-list';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { Link } from '../router';

const PAGE = 50;
const SORTS: Array<{ key: SortKey; label: MessageKey }> = [
  { key: 'name', label: 'customers.name' },
  { key: 'encours', label: 'customers.encours' },
  { key: 'overdue', label: 'customers.overdue' },
  { key: 'score', label: 'customers.score' },
  { key: 'lastReminder', label: 'customers.lastReminder' },
];

export function CustomersScreen() {
  const { t, money, dateTime, int } = useI18n();
  const state = useAsync(() => portfolio(), []);
  const [filter, setFilter] = useState<ListFilter>({ search: '', segment: '', collector: '', sort: 'overdue', descending: true });
  const [page, setPage] = useState(0);
  const set = (patch: Partial<ListFilter>) => {
    setFilter((f) => ({ ...f, ...patch }));
    setPage(0);
  };
  const rows = useMemo(() => (state.data ? filterAndSort(state.data.rows, filter) : []), [state.data, filter]);
  const segments = useMemo(() => [...new Set((state.data?.rows ?? []).map((r) => r.segment).filter((s): s is string => !!s))].sort(), [state.data]);
  const collectors = useMemo(
    () => [...new Set((state.data?.rows ?? []).map((r) => r.collector).filter((s): s is string => !!s))].sort(),
    [state.data],
  );
  const pages = Math.max(1, Math.ceil(rows.length / PAGE));
  const sortHeader = (key: SortKey, label: MessageKey, numeric = true) => (
    <th scope="col" className={numeric ? 'num' : undefined} aria-sort={filter.sort === key ? (filter.descending ? 'descending' : 'ascending') : 'none'}>
      <button type="button" className="th-sort" onClick={() => set({ sort: key, descending: filter.sort === key ? !filter.descending : key !== 'name' })}>
        {t(label)} {filter.sort === key ? (filter.descending ? '▼' : '▲') : ''}
      </button>
    </th>
  );
  return (
    <div>
      <h1>{t('customers.title')}</h1>
      <Panel title={t('customers.title')} state={state} testId="panel-customers" wide>
        <div className="toolbar" role="search">
          <label className="inline-field">
            <span>{t('common.search')}</span>
            <input type="search" value={filter.search} placeholder={t('customers.search')} onChange={(e) => set({ search: e.target.value })} data-testid="customer-search" />
          </label>
          <label className="inline-field">
            <span>{t('customers.segment')}</span>
            <select value={filter.segment} onChange={(e) => set({ segment: e.target.value })} disabled={!state.data?.has.scores}>
              <option value="">{t('common.all')}</option>
              {segments.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label className="inline-field">
            <span>{t('customers.collector')}</span>
            <select value={filter.collector} onChange={(e) => set({ collector: e.target.value })} disabled={!state.data?.has.collectors}>
              <option value="">{t('common.all')}</option>
              <option value="-">{t('common.none')}</option>
              {collectors.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label className="inline-field">
            <span>{t('customers.sortBy')}</span>
            <select value={filter.sort} onChange={(e) => set({ sort: e.target.value as SortKey })}>
              {SORTS.map((s) => (
                <option key={s.key} value={s.key}>
                  {t(s.label)}
                </option>
              ))}
            </select>
          </label>
          <span className="muted">{int(rows.length)}</span>
        </div>
        <Async state={state} isEmpty={() => rows.length === 0} empty={t('customers.empty')}>
          {(p) => (
            <>
              <div className="table-wrap">
                <table className="table" data-testid="customers-table">
                  <thead>
                    <tr>
                      {sortHeader('name', 'customers.name', false)}
                      {sortHeader('encours', 'customers.encours')}
                      {sortHeader('overdue', 'customers.overdue')}
                      {sortHeader('score', 'customers.score')}
                      <th scope="col">{t('customers.segment')}</th>
                      {sortHeader('lastReminder', 'customers.lastReminder', false)}
                      <th scope="col">{t('customers.collector')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.slice(page * PAGE, (page + 1) * PAGE).map((r) => (
                      <tr key={`${r.customerId}-${r.currency}`} data-testid="customer-row">
                        <th scope="row">
                          <Link to={`/customers/${r.customerId}`}>{r.name}</Link>
                        </th>
                        <td className="num">{r.encoursMinor === null ? '—' : money(r.encoursMinor, r.currency)}</td>
                        <td className="num">{r.overdueMinor === null ? '—' : money(r.overdueMinor, r.currency)}</td>
                        <td className="num">{p.has.scores ? int(r.score) : '—'}</td>
                        <td>{r.segment ? <span className={`tag tag-${r.segment}`}>{r.segment}</span> : '—'}</td>
                        <td>{dateTime(r.lastReminderAt)}</td>
                        <td>{r.collector ?? '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {pages > 1 && (
                <nav className="pager" aria-label="pagination">
                  <button type="button" className="btn" disabled={page === 0} onClick={() => setPage(page - 1)}>
                    {t('common.previous')}
                  </button>
                  <span aria-live="polite">
                    {t('common.page', { n: page + 1 })} / {pages}
                  </span>
                  <button type="button" className="btn" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
                    {t('common.next')}
                  </button>
                </nav>
              )}
            </>
          )}
        </Async>
      </Panel>
    </div>
  );
}
