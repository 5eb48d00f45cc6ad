import { useEffect, useRef, type FormEvent, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';

/** A modal form on the native <dialog> element (focus trapping and Escape come with it). */
export function Dialog({
  title,
  open,
  onClose,
  onSubmit,
  submitLabel,
  busy,
  error,
  children,
}: {
  title: string;
  open: boolean;
  onClose(): void;
  onSubmit(): void;
  submitLabel?: string;
  busy?: boolean;
  error?: ReactNode;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="dialog-title" onClose={onClose} onCancel={onClose}>
      {open && (
        <form onSubmit={submit}>
          <h2 id="dialog-title">{title}</h2>
          <div className="dialog-body">{children}</div>
          {error}
          <div className="dialog-actions">
            <button type="button" className="btn" onClick={onClose}>
              {t('common.cancel')}
            </button>
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {submitLabel ?? t('common.save')}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}

export function Field({ label, children, hint }: { label: string; children: ReactNode; hint?: string }) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      {children}
      {hint && <span className="field-hint">{hint}</span>}
    </label>
  );
}
