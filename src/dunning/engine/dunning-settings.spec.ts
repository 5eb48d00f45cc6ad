import { DEFAULT_DUNNING_SETTINGS, dunningSettings, inSendingWindow } from './dunning-settings';

describe('dunning settings', () => {
  it('sends on business days and hours in the tenant timezone', () => {
    const s = DEFAULT_DUNNING_SETTINGS;
    // Thursday 2026-01-15 07:30 UTC = 08:30 in Paris, 07:30 in London
    expect(inSendingWindow(new Date('2026-01-15T07:30:00Z'), 'Europe/Paris', s)).toBe(true);
    expect(inSendingWindow(new Date('2026-01-15T07:30:00Z'), 'Europe/London', s)).toBe(false);
    // 17:59 / 18:00 Paris
    expect(inSendingWindow(new Date('2026-01-15T16:59:00Z'), 'Europe/Paris', s)).toBe(true);
    expect(inSendingWindow(new Date('2026-01-15T17:00:00Z'), 'Europe/Paris', s)).toBe(false);
    // Saturday
    expect(inSendingWindow(new Date('2026-01-17T10:00:00Z'), 'Europe/Paris', s)).toBe(false);
  });

  it('fills defaults and ignores unknown values', () => {
    expect(dunningSettings({ dunning: { jurisdiction: 'XX', defaultLanguage: 'en', from: 'ar@acme.test' } })).toMatchObject({
      jurisdiction: 'FR',
      defaultLanguage: 'en',
      from: 'ar@acme.test',
      sendingDays: [1, 2, 3, 4, 5],
    });
  });
});
