import { formatMoney, money } from '../../common/money';
import type { Language, PolicyStep, StepTemplate } from '../policies/policy.types';
import { BUILT_IN_TEMPLATES, renderTemplate } from './templates';

export interface RenderInvoice {
  number: string;
  dueDate: string;
  currency: string;
  outstandingMinor: bigint;
  interestMinor: bigint | null;
  indemnityMinor: bigint | null;
}

export interface RenderInput {
  language: Language;
  customerName: string;
  senderName: string;
  step: Pick<PolicyStep, 'key' | 'templates'>;
  invoices: RenderInvoice[];
}

const LABELS: Record<Language, { due: string; interest: string; indemnity: string; locale: string }> = {
  fr: { due: 'échéance', interest: 'Intérêts de retard', indemnity: 'Indemnité forfaitaire pour frais de recouvrement', locale: 'fr-FR' },
  en: { due: 'due', interest: 'Late-payment interest', indemnity: 'Fixed recovery compensation', locale: 'en-GB' },
};

function totals(invoices: RenderInvoice[], pick: (i: RenderInvoice) => bigint | null): Map<string, bigint> {
  const by = new Map<string, bigint>();
  for (const i of invoices) {
    const v = pick(i);
    if (v === null) continue;
    by.set(i.currency, (by.get(i.currency) ?? 0n) + v);
  }
  return by;
}

const fmtTotals = (t: Map<string, bigint>, locale: string) => [...t].map(([c, v]) => formatMoney(money(v, c), locale)).join(' + ');

/** Subject and body of a grouped message, in the customer's language. */
export function renderMessage(input: RenderInput): StepTemplate {
  const l = LABELS[input.language];
  const tpl = input.step.templates?.[input.language] ?? BUILT_IN_TEMPLATES[input.step.key]?.[input.language] ?? BUILT_IN_TEMPLATES.reminder_1[input.language];
  const lines = input.invoices.map((i) => `- ${i.number} (${l.due} ${i.dueDate}) : ${formatMoney(money(i.outstandingMinor, i.currency), l.locale)}`);
  const interest = totals(input.invoices, (i) => i.interestMinor);
  const indemnity = totals(input.invoices, (i) => i.indemnityMinor);
  const penalties = [
    interest.size ? `${l.interest} : ${fmtTotals(interest, l.locale)}` : '',
    indemnity.size ? `${l.indemnity} : ${fmtTotals(indemnity, l.locale)}` : '',
  ].filter(Boolean).join('\n');
  const vars = {
    customerName: input.customerName,
    invoices: lines.join('\n'),
    total: fmtTotals(totals(input.invoices, (i) => i.outstandingMinor), l.locale),
    penalties,
    senderName: input.senderName,
  };
  const clean = (s: string) => (input.language === 'en' ? s.replace(/ : /g, ': ') : s);
  return { subject: renderTemplate(tpl.subject, vars), body: clean(renderTemplate(tpl.body, vars)) };
}
