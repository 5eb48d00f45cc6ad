import { useState } from 'react';
import * as d from '../api/dunning';
import type { Invoice } from '../api/types';
import { Dialog, Field } from '../components/dialog';
import { ErrorBox } from '../components/states';
import { useAsync } from '../components/use-async';
import { useSubmit } from '../components/use-submit';
import { parseAmountToMinor } from '../format';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';

export type ActionKind = 'dispute' | 'promise' | 'pause' | 'note' | 'collector' | 'policy';

const TITLES: Record<ActionKind, MessageKey> = {
  dispute: 'action.openDispute',
  promise: 'action.recordPromise',
  pause: 'action.pause',
  note: 'action.addNote',
  collector: 'action.assign',
  policy: 'action.policy',
};

/** The customer page's action forms; each posts to the API and reports the API's answer. */
export function CustomerActionDialog({
  kind,
  customerId,
  currency,
  invoices,
  presetInvoiceId,
  collector,
  onClose,
  onDone,
}: {
  collector?: string;
  kind: ActionKind | null;
  customerId: string;
  currency: string;
  invoices: Invoice[];
  presetInvoiceId?: string;
  onClose(): void;
  onDone(): void;
}) {
  const { t, date, money } = useI18n();
  const [invoiceId, setInvoiceId] = useState(presetInvoiceId ?? '');
  const [text, setText] = useState(kind === 'collector' ? (collector ?? '') : '');
  const [when, setWhen] = useState('');
  const [amount, setAmount] = useState('');
  const { busy, error, setError, run } = useSubmit();
  const policyList = useAsync(() => (kind === 'policy' ? d.policies() : Promise.resolve([])), [kind]);
  if (!kind) return null;

  const submit = async () => {
    setError(undefined);
    const minor = amount ? parseAmountToMinor(amount, currency) : null;
    if (amount && minor === null) {
      setError(new Error(`${t('common.amount')}: ${amount}`));
      return;
    }
    await run(async () => {
      switch (kind) {
        case 'dispute':
          await d.openDispute({ invoiceId, reason: text, ...(minor !== null ? { amountMinor: minor } : {}) });
          break;
        case 'promise':
          await d.recordPromise({ customerId, invoiceIds: invoiceId ? [invoiceId] : [], promisedDate: when, amountMinor: minor ?? 0, currency });
          break;
        case 'pause':
          await d.pauseReminders({ customerId, until: when, reason: text });
          break;
        case 'note':
          await d.addNote(customerId, text);
          break;
        case 'collector':
          await d.assignCollector(customerId, text.trim() || null);
          break;
        case 'policy':
          await d.assignPolicy(customerId, text);
          break;
      }
      onDone();
    });
  };

  const invoiceSelect = (required: boolean) => (
    <Field label={t('field.invoice')}>
      <select value={invoiceId} onChange={(e) => setInvoiceId(e.target.value)} required={required} data-testid="action-invoice">
        {!required && <option value="">{t('common.all')}</option>}
        {required && <option value="" disabled />}
        {invoices.map((i) => (
          <option key={i.id} value={i.id}>
            {i.number} · {date(i.dueDate)} · {money(i.outstandingMinor, i.currency)}
          </option>
        ))}
      </select>
    </Field>
  );

  return (
    <Dialog title={t(TITLES[kind])} open onClose={onClose} onSubmit={() => void submit()} busy={busy} error={error !== undefined ? <ErrorBox error={error} /> : null}>
      {kind === 'dispute' && (
        <>
          {invoiceSelect(true)}
          <Field label={t('field.reason')}>
            <textarea required value={text} onChange={(e) => setText(e.target.value)} data-testid="action-text" />
          </Field>
          <Field label={t('field.amount', { currency })} hint={t('common.all')}>
            <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} data-testid="action-amount" />
          </Field>
        </>
      )}
      {kind === 'promise' && (
        <>
          {invoiceSelect(false)}
          <Field label={t('field.promisedDate')}>
            <input type="date" required value={when} onChange={(e) => setWhen(e.target.value)} data-testid="action-date" />
          </Field>
          <Field label={t('field.amount', { currency })}>
            <input inputMode="decimal" required value={amount} onChange={(e) => setAmount(e.target.value)} data-testid="action-amount" />
          </Field>
        </>
      )}
      {kind === 'pause' && (
        <>
          <Field label={t('field.until')}>
            <input type="date" required value={when} onChange={(e) => setWhen(e.target.value)} data-testid="action-date" />
          </Field>
          <Field label={t('field.reason')}>
            <input required value={text} onChange={(e) => setText(e.target.value)} data-testid="action-text" />
          </Field>
        </>
      )}
      {kind === 'note' && (
        <Field label={t('field.note')}>
          <textarea required value={text} onChange={(e) => setText(e.target.value)} data-testid="action-text" />
        </Field>
      )}
      {kind === 'collector' && (
        <Field label={t('field.collector')}>
          <input value={text} onChange={(e) => setText(e.target.value)} data-testid="action-text" />
        </Field>
      )}
      {kind === 'policy' && (
        <Field label={t('field.policy')}>
          <select value={text} required onChange={(e) => setText(e.target.value)} data-testid="action-policy">
            <option value="" disabled />
            {(policyList.data ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </Field>
      )}
    </Dialog>
  );
}
