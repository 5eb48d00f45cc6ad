import type { ReactNode } from 'react';
import type { AsyncState } from './use-async';

/** A titled card; `data-state` tells tests (and the render-time probe) when its data is in. */
export function Panel({
  title,
  state,
  actions,
  children,
  testId,
  wide,
}: {
  title: string;
  state?: AsyncState<unknown>;
  actions?: ReactNode;
  children: ReactNode;
  testId?: string;
  wide?: boolean;
}) {
  const id = testId ? `${testId}-title` : undefined;
  const status = !state ? 'ready' : state.error !== undefined ? 'error' : state.data === undefined ? 'loading' : 'ready';
  return (
    <section className={`card panel${wide ? ' panel-wide' : ''}`} aria-labelledby={id} data-testid={testId} data-state={status}>
      <div className="panel-head">
        <h2 id={id}>{title}</h2>
        {actions && <div className="panel-actions">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

export function Kpi({ label, value, testId, tone }: { label: string; value: string; testId?: string; tone?: 'warn' | 'bad' | 'good' }) {
  return (
    <div className={`kpi${tone ? ` kpi-${tone}` : ''}`}>
      <span className="kpi-label">{label}</span>
      <span className="kpi-value" data-testid={testId}>
        {value}
      </span>
    </div>
  );
}
