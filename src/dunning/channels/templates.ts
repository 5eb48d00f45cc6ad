import type { Language, StepTemplate } from '../policies/policy.types';

/**
 * Built-in templates, FR and EN, by step key. Placeholders: {{customerName}}, {{invoices}}
 * (one line per invoice), {{total}}, {{penalties}} (formal notice), {{senderName}}.
 */
export const BUILT_IN_TEMPLATES: Record<string, Record<Language, StepTemplate>> = {
  pre_reminder: {
    fr: {
      subject: 'Échéance prochaine de vos factures',
      body: 'Bonjour {{customerName}},\n\nPour information, les factures suivantes arrivent bientôt à échéance :\n{{invoices}}\n\nTotal : {{total}}\n\nSi le règlement est déjà parti, merci de ne pas tenir compte de ce message.\n\nCordialement,\n{{senderName}}',
    },
    en: {
      subject: 'Upcoming due date of your invoices',
      body: 'Hello {{customerName}},\n\nA courtesy note: the following invoices fall due soon:\n{{invoices}}\n\nTotal: {{total}}\n\nIf payment is already on its way, please disregard this message.\n\nKind regards,\n{{senderName}}',
    },
  },
  reminder_1: {
    fr: {
      subject: 'Relance : factures échues',
      body: 'Bonjour {{customerName}},\n\nSauf erreur de notre part, les factures suivantes restent impayées :\n{{invoices}}\n\nTotal dû : {{total}}\n\nMerci de procéder au règlement dans les meilleurs délais.\n\nCordialement,\n{{senderName}}',
    },
    en: {
      subject: 'Reminder: overdue invoices',
      body: 'Hello {{customerName}},\n\nUnless we are mistaken, the following invoices remain unpaid:\n{{invoices}}\n\nTotal due: {{total}}\n\nPlease arrange payment at your earliest convenience.\n\nKind regards,\n{{senderName}}',
    },
  },
  reminder_2: {
    fr: {
      subject: 'Deuxième relance : factures échues',
      body: 'Bonjour {{customerName}},\n\nMalgré notre précédent rappel, les factures suivantes restent impayées :\n{{invoices}}\n\nTotal dû : {{total}}\n\nMerci de régulariser la situation sous huit jours ou de nous contacter.\n\nCordialement,\n{{senderName}}',
    },
    en: {
      subject: 'Second reminder: overdue invoices',
      body: 'Hello {{customerName}},\n\nDespite our previous reminder, the following invoices remain unpaid:\n{{invoices}}\n\nTotal due: {{total}}\n\nPlease settle within eight days or contact us.\n\nKind regards,\n{{senderName}}',
    },
  },
  reminder_3: {
    fr: {
      subject: 'Dernière relance avant mise en demeure',
      body: 'Bonjour {{customerName}},\n\nLes factures suivantes restent impayées malgré nos relances :\n{{invoices}}\n\nTotal dû : {{total}}\n\nSans règlement de votre part, nous vous adresserons une mise en demeure avec application des pénalités de retard.\n\nCordialement,\n{{senderName}}',
    },
    en: {
      subject: 'Final reminder before formal notice',
      body: 'Hello {{customerName}},\n\nThe following invoices remain unpaid despite our reminders:\n{{invoices}}\n\nTotal due: {{total}}\n\nWithout payment, we will send a formal notice and charge statutory late-payment interest and compensation.\n\nKind regards,\n{{senderName}}',
    },
  },
  formal_notice: {
    fr: {
      subject: 'Mise en demeure de payer',
      body: 'Madame, Monsieur,\n\nMalgré nos relances, {{customerName}} reste redevable des sommes suivantes :\n{{invoices}}\n\nPrincipal : {{total}}\n{{penalties}}\n\nNous vous mettons en demeure de régler ces sommes sous huit jours à compter de la réception de la présente.\n\n{{senderName}}',
    },
    en: {
      subject: 'Formal notice to pay',
      body: 'Dear Sir or Madam,\n\nDespite our reminders, {{customerName}} still owes the following amounts:\n{{invoices}}\n\nPrincipal: {{total}}\n{{penalties}}\n\nWe hereby give formal notice to pay these amounts within eight days of receipt of this letter.\n\n{{senderName}}',
    },
  },
};

export function renderTemplate(text: string, vars: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (m, name: string) => (name in vars ? vars[name] : m));
}
