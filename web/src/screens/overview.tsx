import { useMemo, useState } from 'react';
import { ApiError, api } from '../api/client';
import { AGING_TOP, agedBalance, dsoTrend, encours, forecast, hasDsoFigures, latestAlerts, type CashForecast, type DsoTrend } from '../api/reports';
import type { AgedBalance, Connection, Page } from '../api/types';
import { Chart, PALETTE, type ChartOption } from '../components/chart';
import { Kpi, Panel } from '../components/panel';
import { Async, ErrorBox } from '../components/states';
import { useAsync } from '../components/use-async';
import { formatMoneyCompact, formatMonth } from '../format';
import { useI18n, type I18n } from '../i18n/i18n';
import { alertText } from '../alert-text';
import { Link } from '../router';
import { useSession } from '../session';

const settled = (x: { data?: unknown; error?: unknown }): boolean => x.data !== undefined || x.error !== undefined;

/** `load()` once `ready`; until then a promise that never settles (the panel shows its loading state). */
function after<T>(ready: boolean, load: () => Promise<T>): Promise<T> {
  return ready ? load() : new Promise<never>(() => undefined);
}

export function OverviewScreen() {
  const i18n = useI18n();
  const { t } = i18n;
  const [asOf, setAsOf] = useState('');
  // The encours first: the other reports are asked for once it is in, so that on a small server
  // they do not compete with it. The DSO trend is one query over the 12 month ends; its last
  // point is the DSO report's tenant lines as of today (same period), shown as the DSO figures.
  const enc = useAsync(() => encours(), []);
  const encIn = settled(enc);
  const aging = useAsync(() => after(encIn, () => agedBalance(asOf || undefined)), [encIn, asOf]);
  const trend = useAsync(() => after(encIn, dsoTrend), [encIn]);
  const fc = useAsync(() => after(encIn, forecast), [encIn]);
  const alerts = useAsync(() => latestAlerts(), []);
  const conns = useAsync(() => api.get<Page<Connection>>('/v1/connections'), []);
  return (
    <div className="overview" data-testid="overview">
      <h1>{t('overview.title')}</h1>
      <Panel title={t('overview.encours')} state={enc} testId="panel-encours" wide>
        <EncoursKpis state={enc} />
      </Panel>
      <Panel title={t('overview.dso')} state={trend} testId="panel-dso">
        <Async state={trend} isEmpty={(d) => !hasDsoFigures(d.months[d.months.length - 1])} empty={t('overview.noDso')}>
          {(d) => <DsoKpis now={d.months[d.months.length - 1]} />}
        </Async>
      </Panel>
      <Panel title={t('overview.dsoTrend')} state={trend} testId="panel-dso-trend">
        <Async state={trend} isEmpty={(d) => !d.months.some(hasDsoFigures)} empty={t('overview.noDsoTrend')}>
          {(d) => <DsoTrendChart d={d} />}
        </Async>
      </Panel>
      <Panel
        title={t('overview.aging')}
        state={aging}
        testId="panel-aging"
        wide
        actions={
          <label className="inline-field">
            <span>{t('overview.asOf')}</span>
            <input type="date" value={asOf} onChange={(e) => setAsOf(e.target.value)} data-testid="aging-as-of" />
          </label>
        }
      >
        <Async state={aging} isEmpty={(a) => a.totals.length === 0}>
          {(a) => <AgingBlock a={a} />}
        </Async>
      </Panel>
      <Panel title={t('overview.forecast')} state={fc} testId="panel-forecast" wide>
        <Async state={fc} isEmpty={(f) => f.currencies.length === 0}>
          {(f) => <ForecastBlock f={f} />}
        </Async>
      </Panel>
      <Panel title={t('overview.alerts')} state={alerts} testId="panel-alerts">
        <Async state={alerts} isEmpty={(a) => a.length === 0} empty={t('overview.noAlerts')}>
          {(items) => (
            <ul className="list">
              {items.slice(0, 8).map((a) => (
                <li key={a.id} className="list-row alert-row" data-testid="alert">
                  <div>
                    <span className={`tag tag-${a.kind}`}>{i18n.tOr(`alertKind.${a.kind}`, a.kind)}</span>{' '}
                    {a.customerId ? <Link to={`/customers/${a.customerId}`}>{a.customerName ?? a.customerId}</Link> : null}
                    <div className="small">{alertText(a, i18n)}</div>
                  </div>
                  <span className="muted small">{i18n.dateTime(a.raisedAt)}</span>
                </li>
              ))}
            </ul>
          )}
        </Async>
      </Panel>
      <Panel title={t('overview.connections')} state={conns} testId="panel-connections">
        <Async state={conns} isEmpty={(c) => c.items.length === 0} empty={t('overview.noConnections')}>
          {(c) => <ConnectionList items={c.items} reload={conns.reload} />}
        </Async>
      </Panel>
    </div>
  );
}

function EncoursKpis({ state }: { state: ReturnType<typeof useAsync<Awaited<ReturnType<typeof encours>>>> }) {
  const { t, money } = useI18n();
  return (
    <Async state={state} isEmpty={(rows) => rows.length === 0}>
      {(rows) => (
        <div className="kpi-rows">
          {rows.map((r) => (
            <div className="kpi-row" key={r.currency} data-currency={r.currency}>
              <Kpi label={`${t('overview.encours')} (${r.currency})`} value={money(r.totalMinor, r.currency)} testId={`encours-total-${r.currency}`} />
              <Kpi label={t('overview.overdue')} value={money(r.overdueMinor, r.currency)} testId={`encours-overdue-${r.currency}`} tone="bad" />
              <Kpi label={t('overview.notDue')} value={money(r.notDueMinor, r.currency)} testId={`encours-notdue-${r.currency}`} tone="good" />
              <Kpi label={t('overview.disputed')} value={money(r.disputedMinor, r.currency)} testId={`encours-disputed-${r.currency}`} tone="warn" />
              <Kpi label={t('overview.unallocated')} value={money(r.unallocatedMinor, r.currency)} testId={`encours-unallocated-${r.currency}`} />
            </div>
          ))}
        </div>
      )}
    </Async>
  );
}

function DsoKpis({ now }: { now: DsoTrend['months'][number] }) {
  const { t, days, date } = useI18n();
  return (
    <>
      <p className="muted small">
        {date(now.from)} – {date(now.asOf)}
      </p>
      {now.lines.map((l) => (
        <div className="kpi-row" key={l.currency}>
          <Kpi label={`${t('overview.dso')} (${l.currency})`} value={days(l.dso)} testId={`dso-${l.currency}`} />
          <Kpi label={t('overview.bestDso')} value={days(l.bestPossibleDso)} testId={`dso-best-${l.currency}`} tone="good" />
          <Kpi label={t('overview.add')} value={days(l.averageDaysDelinquent)} testId={`dso-add-${l.currency}`} tone="bad" />
        </div>
      ))}
    </>
  );
}

function DsoTrendChart({ d }: { d: DsoTrend }) {
  const { t, lang, days } = useI18n();
  const currencies = [...new Set(d.months.flatMap((m) => m.lines.map((l) => l.currency)))];
  const option = useMemo<ChartOption>(() => {
    const line = (c: string, key: 'dso' | 'bestPossibleDso' | 'averageDaysDelinquent') =>
      d.months.map((m) => m.lines.find((l) => l.currency === c)?.[key] ?? null);
    return {
      color: PALETTE,
      tooltip: { trigger: 'axis', valueFormatter: (v: number | null) => days(v) },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: d.months.map((m) => formatMonth(m.month, lang)) },
      yAxis: { type: 'value', name: lang === 'fr' ? 'jours' : 'days' },
      series: currencies.flatMap((c) => {
        const suffix = currencies.length > 1 ? ` ${c}` : '';
        return [
          { name: `${t('overview.dso')}${suffix}`, type: 'line', data: line(c, 'dso'), connectNulls: true },
          { name: `${t('overview.bestDso')}${suffix}`, type: 'line', data: line(c, 'bestPossibleDso'), connectNulls: true, lineStyle: { type: 'dashed' } },
          { name: `${t('overview.add')}${suffix}`, type: 'bar', data: line(c, 'averageDaysDelinquent') },
        ];
      }),
    };
  }, [d, lang, t, days, currencies.join()]);
  return <Chart option={option} label={t('overview.dsoTrend')} testId="chart-dso" />;
}

const bucketLabel = (b: string, i18n: I18n) => (b === 'current' ? i18n.t('bucket.current') : b);

function AgingBlock({ a }: { a: AgedBalance }) {
  const i18n = useI18n();
  const { t, money, lang, date } = i18n;
  const top = useMemo(() => [...a.rows].sort((x, y) => y.totalMinor - x.totalMinor).slice(0, AGING_TOP), [a]);
  /** One stacked bar per row (currency totals, or customers): separate charts so that the totals do not dwarf the customers. */
  const stacked = (rows: Array<{ label: string; currency: string; bucketsMinor: Record<string, number> }>): ChartOption => {
    const currency = rows[0]?.currency ?? 'EUR';
    return {
      color: PALETTE,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => (typeof v === 'number' ? money(v, currency) : String(v)) },
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'value', axisLabel: { formatter: (v: number) => formatMoneyCompact(v, currency, lang) } },
      yAxis: { type: 'category', data: rows.map((r) => r.label), inverse: true, axisLabel: { width: 180, overflow: 'truncate' } },
      series: a.buckets.map((b) => ({ name: bucketLabel(b, i18n), type: 'bar', stack: 'aging', data: rows.map((r) => r.bucketsMinor[b] ?? 0) })),
    };
  };
  const totalsOption = useMemo(() => stacked(a.totals.map((x) => ({ ...x, label: `${t('bucket.total')} ${x.currency}` }))), [a, i18n]);
  const topOption = useMemo(() => stacked(top.map((r) => ({ ...r, label: `${r.name} (${r.currency})` }))), [a, top, i18n]);
  return (
    <>
      <p className="muted">
        {t('overview.asOf')} {date(a.asOf)}
      </p>
      <Chart option={totalsOption} label={t('overview.aging')} height={70 + 34 * a.totals.length} testId="chart-aging" />
      {top.length > 1 && (
        <>
          <h3>{t('overview.agingTop')}</h3>
          <Chart option={topOption} label={t('overview.agingTop')} height={60 + 28 * top.length} testId="chart-aging-top" />
        </>
      )}
      <div className="table-wrap">
        <table className="table" data-testid="aging-totals">
          <caption>{t('overview.agingTotals')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('common.currency')}</th>
              {a.buckets.map((b) => (
                <th scope="col" key={b} className="num">
                  {bucketLabel(b, i18n)}
                </th>
              ))}
              <th scope="col" className="num">
                {t('bucket.total')}
              </th>
            </tr>
          </thead>
          <tbody>
            {a.totals.map((r) => (
              <tr key={r.currency}>
                <th scope="row">{r.currency}</th>
                {a.buckets.map((b) => (
                  <td key={b} className="num" data-testid={`aging-${r.currency}-${b}`}>
                    {money(r.bucketsMinor[b] ?? 0, r.currency)}
                  </td>
                ))}
                <td className="num" data-testid={`aging-${r.currency}-total`}>
                  {money(r.totalMinor, r.currency)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function ForecastBlock({ f }: { f: CashForecast }) {
  const { t, money, lang, date } = useI18n();
  const option = useMemo<ChartOption>(
    () => ({
      color: PALETTE,
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => money(v, f.currencies[0]?.currency ?? 'EUR') },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: f.weeks.map((w) => date(w.start)) },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => formatMoneyCompact(v, f.currencies[0]?.currency ?? 'EUR', lang) } },
      series: f.currencies.map((c) => ({ name: c.currency, type: 'bar', data: c.weeksMinor })),
    }),
    [f, lang, money, date],
  );
  return (
    <>
      <Chart option={option} label={t('overview.forecast')} testId="chart-forecast" />
      <div className="kpi-rows">
        {f.currencies.map((c) => (
          <div className="kpi-row" key={c.currency}>
            <Kpi label={`${t('overview.forecastLater')} (${c.currency})`} value={money(c.laterMinor, c.currency)} />
            <Kpi label={t('overview.disputed')} value={money(c.disputedMinor, c.currency)} tone="warn" />
            <Kpi label={t('overview.forecastOpen')} value={money(c.openMinor, c.currency)} testId={`forecast-open-${c.currency}`} />
          </div>
        ))}
      </div>
    </>
  );
}

function ConnectionList({ items, reload }: { items: Connection[]; reload(): void }) {
  const { t, dateTime, tOr } = useI18n();
  const { can } = useSession();
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ id: string; text?: string; error?: unknown } | null>(null);
  const syncNow = async (c: Connection) => {
    setBusy(c.id);
    setMessage(null);
    try {
      await api.post(`/v1/connections/${c.id}/sync`);
      setMessage({ id: c.id, text: t('overview.syncStarted') });
      reload();
    } catch (e) {
      setMessage({ id: c.id, error: e instanceof ApiError && e.status === 409 ? new Error(e.detail) : e });
    } finally {
      setBusy(null);
    }
  };
  return (
    <ul className="list">
      {items.map((c) => (
        <li key={c.id} className="list-row conn-row" data-testid="connection">
          <div>
            <strong>{c.name}</strong> <span className="muted">({c.provider})</span>{' '}
            <span className={`tag tag-${c.enabled ? c.status : 'disabled'}`}>{c.enabled ? tOr(`conn.status.${c.status}`, c.status) : t('conn.disabled')}</span>
            <div className="muted small">
              {t('overview.lastSync')}: {c.lastRunAt ? dateTime(c.lastRunAt) : t('overview.never')} · {t('overview.lastSuccess')}:{' '}
              {c.lastSuccessAt ? dateTime(c.lastSuccessAt) : t('overview.never')}
            </div>
            {c.statusReason && <div className="small warn-text">{c.statusReason}</div>}
            {message?.id === c.id && message.text && (
              <div className="small ok-text" role="status">
                {message.text}
              </div>
            )}
            {message?.id === c.id && message.error !== undefined && <ErrorBox error={message.error} />}
          </div>
          {can('act') && (
            <button type="button" className="btn" onClick={() => void syncNow(c)} disabled={busy === c.id || !c.enabled}>
              {t('overview.syncNow')}
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
