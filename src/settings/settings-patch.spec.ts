import { ValidationError } from '../common/errors';
import { mergeSettings, parseSettingsPatch } from './settings-patch';

function problems(body: unknown, stored: Record<string, unknown> = {}) {
  try {
    parseSettingsPatch(body, stored);
  } catch (e) {
    if (e instanceof ValidationError) return e.errors;
    throw e;
  }
  return [];
}

describe('parseSettingsPatch', () => {
  it('lists every problem with its field', () => {
    expect(problems({
      timezone: 'Mars/Olympus',
      colour: 'blue',
      aging: { buckets: [60, 30] },
      scoring: { goodFrom: 101 },
      dunning: { jurisdiction: 'XX', from: 'not an address', sendingDays: [1, 1], sendingHours: [18, 8], contractualRateBp: 1.5, tone: 'firm' },
      smtp: { port: 0, password: '' },
    })).toEqual([
      { field: 'colour', message: 'unknown setting (known: name, timezone, reconciliation, aging, scoring, dunning, smtp)' },
      { field: 'timezone', message: 'must be an IANA timezone, e.g. Europe/Paris' },
      { field: 'aging.buckets', message: 'must be 1 to 12 increasing day counts, e.g. 30,60,90,120' },
      { field: 'scoring.goodFrom', message: 'must be an integer from 0 to 100' },
      { field: 'dunning.jurisdiction', message: 'must be one of FR, DE, UK' },
      { field: 'dunning.from', message: 'must be an address, e.g. ar@acme.fr or "Acme AR <ar@acme.fr>"' },
      { field: 'dunning.sendingDays', message: 'must be distinct ISO weekdays, 1 (Monday) to 7 (Sunday)' },
      { field: 'dunning.sendingHours', message: 'must be [from, to] hours with 0 ≤ from < to ≤ 24' },
      { field: 'dunning.contractualRateBp', message: 'must be an integer from 0 to 100000' },
      { field: 'dunning.tone', message: 'unknown setting (known: jurisdiction, from, replyTo, senderName, defaultLanguage, sendingDays, sendingHours, contractualRateBp, staleSync)' },
      { field: 'smtp.port', message: 'must be an integer from 1 to 65535' },
      { field: 'smtp.password', message: 'must be a non-empty text of at most 1000 characters' },
      { field: 'smtp.host', message: 'is required for a tenant SMTP server' },
    ]);
  });

  it('checks scoring thresholds against the stored ones', () => {
    expect(problems({ scoring: { watchFrom: 80 } }, { scoring: { goodFrom: 75 } })).toEqual([{ field: 'scoring.watchFrom', message: 'must be below goodFrom (75)' }]);
    expect(problems({ scoring: { watchFrom: 60 } }, { scoring: { goodFrom: 75 } })).toEqual([]);
  });

  it('takes the SMTP password apart from the section, and accepts a host already stored', () => {
    const p = parseSettingsPatch({ smtp: { user: 'ar@acme.fr', password: 's3cret' } }, { smtp: { host: 'smtp.acme.fr' } });
    expect(p).toEqual({ sections: { smtp: { user: 'ar@acme.fr' } }, smtpPassword: 's3cret' });
  });
});

describe('mergeSettings', () => {
  it('merges key by key; null keys go back to the default; a null section is removed', () => {
    const stored = { dunning: { from: 'a@acme.fr', senderName: 'Acme' }, smtp: { host: 'h' }, aging: { buckets: [30] } };
    const next = mergeSettings(stored, parseSettingsPatch({ dunning: { senderName: null, defaultLanguage: 'en' }, smtp: null }, stored));
    expect(next).toEqual({ dunning: { from: 'a@acme.fr', defaultLanguage: 'en' }, aging: { buckets: [30] } });
  });
});
