import type { Alert } from './api/reports';
import type { I18n } from './i18n/i18n';
import type { MessageKey } from './i18n/messages';

/** An alert's sentence from the figures that raised it (formatted, never recomputed). */
export function alertText(a: Alert, i18n: I18n): string {
  const f = a.figures;
  const currency = a.currency ?? 'EUR';
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(f)) {
    if (v === null || v === undefined) vars[k] = '—';
    else if (k.endsWith('Minor')) vars[k] = i18n.money(v as number, currency);
    else if (/date$/i.test(k) && typeof v === 'string') vars[k] = i18n.date(v);
    else vars[k] = String(v);
  }
  const key = `alert.${a.kind}`;
  return i18n.tOr(key, a.kind) === a.kind ? a.kind : i18n.t(key as MessageKey, vars);
}
