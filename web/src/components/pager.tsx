import { useI18n } from '../i18n/i18n';

/** Previous / next over cursor pages: `cursors[i]` is the cursor that loads page i. */
export function Pager({ page, hasNext, onPrevious, onNext }: { page: number; hasNext: boolean; onPrevious(): void; onNext(): void }) {
  const { t } = useI18n();
  if (page === 0 && !hasNext) return null;
  return (
    <nav className="pager" aria-label="pagination">
      <button type="button" className="btn" onClick={onPrevious} disabled={page === 0}>
        {t('common.previous')}
      </button>
      <span aria-live="polite">{t('common.page', { n: page + 1 })}</span>
      <button type="button" className="btn" onClick={onNext} disabled={!hasNext}>
        {t('common.next')}
      </button>
    </nav>
  );
}
