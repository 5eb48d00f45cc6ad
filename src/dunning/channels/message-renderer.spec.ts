import { renderMessage } from './message-renderer';

describe('renderMessage', () => {
  const invoices = [
    { number: 'F-001', dueDate: '2026-01-31', currency: 'EUR', outstandingMinor: 123_456n, interestMinor: 2_465n, indemnityMinor: 4_000n },
    { number: 'F-002', dueDate: '2026-02-10', currency: 'EUR', outstandingMinor: 50_000n, interestMinor: 832n, indemnityMinor: 4_000n },
  ];

  it('lists every invoice, the total and the penalties of a formal notice (FR)', () => {
    const m = renderMessage({ language: 'fr', customerName: 'Dupont SARL', senderName: 'Acme SAS', step: { key: 'formal_notice' }, invoices });
    expect(m.subject).toBe('Mise en demeure de payer');
    const body = m.body.replace(/[\u202f\u00a0]/g, ' ');
    expect(body).toContain('- F-001 (échéance 2026-01-31) : 1 234,56 €\n- F-002 (échéance 2026-02-10) : 500,00 €');
    expect(body).toContain('Principal : 1 734,56 €');
    expect(body).toContain('Intérêts de retard : 32,97 €\nIndemnité forfaitaire pour frais de recouvrement : 80,00 €');
  });

  it('uses the English template and inline templates when given', () => {
    const m = renderMessage({ language: 'en', customerName: 'Smith Ltd', senderName: 'Acme', step: { key: 'reminder_1' }, invoices: invoices.slice(0, 1) });
    expect(m.subject).toBe('Reminder: overdue invoices');
    expect(m.body).toContain('- F-001 (due 2026-01-31): €1,234.56');
    const custom = renderMessage({
      language: 'en', customerName: 'Smith Ltd', senderName: 'Acme', invoices: invoices.slice(0, 1),
      step: { key: 'custom', templates: { en: { subject: 'Hi {{customerName}}', body: 'Total {{total}}' } } },
    });
    expect(custom).toEqual({ subject: 'Hi Smith Ltd', body: 'Total €1,234.56' });
  });
});
