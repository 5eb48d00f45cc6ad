import type { ReactNode } from 'react';
import { ApiError, NotAvailableError, SignedOutError } from '../api/client';
import { useI18n } from '../i18n/i18n';
import type { AsyncState } from './use-async';

export function Loading({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label ?? t('state.loading')}
    </div>
  );
}

export function Empty({ children }: { children?: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="state state-empty" data-testid="empty">
      <span aria-hidden="true" className="state-icon">∅</span>
      {children ?? t('state.empty')}
    </div>
  );
}

export function NotAvailable({ path }: { path: string }) {
  const { t } = useI18n();
  return (
    <div className="state state-na" data-testid="not-available">
      <strong>{t('state.notAvailable')}</strong>
      <span>{t('state.notAvailableDetail', { path })}</span>
    </div>
  );
}

export function ErrorBox({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = useI18n();
  if (error instanceof NotAvailableError) return <NotAvailable path={error.path.split('?')[0].replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{id}')} />;
  if (error instanceof SignedOutError) return null;
  const message =
    error instanceof ApiError
      ? `${error.detail}${error.errors.length ? ` (${error.errors.map((e) => `${e.field}: ${e.message}`).join('; ')})` : ''}`
      : error instanceof Error
        ? error.message
        : String(error);
  return (
    <div className="state state-error" role="alert">
      <strong>{t('state.error')}</strong>
      <span>{message}</span>
      {retry && (
        <button type="button" className="btn" onClick={retry}>
          {t('state.retry')}
        </button>
      )}
    </div>
  );
}

/** Loading, error, "not available" and empty states around a loaded value. */
export function Async<T>({
  state,
  isEmpty,
  empty,
  children,
}: {
  state: AsyncState<T>;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (state.error !== undefined) return <ErrorBox error={state.error} retry={state.reload} />;
  if (state.data === undefined) return <Loading />;
  if (isEmpty?.(state.data)) return <Empty>{empty}</Empty>;
  return <>{children(state.data)}</>;
}
