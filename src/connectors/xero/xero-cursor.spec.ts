import { advanceMark, imsFor, nextRequest, readXeroCursor } from './xero-cursor';

describe('Xero cursor', () => {
  const t = (s: string) => new Date(s);

  it('starts from scratch on a missing or foreign cursor', () => {
    expect(readXeroCursor(null)).toEqual({ v: 1, done: {} });
    expect(readXeroCursor({ page: 3 })).toEqual({ v: 1, done: {} });
  });

  it('next run: greatest UpdatedDateUTC seen minus two minutes', () => {
    expect(imsFor(undefined)).toBeNull();
    expect(imsFor({ at: '2026-03-05T10:00:00.000Z', recent: [] })).toBe('2026-03-05T09:58:00.000Z');
  });

  it('keeps the keys inside the overlap window for deduplication', () => {
    const m = advanceMark({ at: null, recent: [] }, [
      { key: `a@${Date.parse('2026-03-05T09:00:00Z')}`, at: t('2026-03-05T09:00:00Z') },
      { key: `b@${Date.parse('2026-03-05T09:59:00Z')}`, at: t('2026-03-05T09:59:00Z') },
      { key: `c@${Date.parse('2026-03-05T10:00:00Z')}`, at: t('2026-03-05T10:00:00Z') },
    ]);
    expect(m).toEqual({ at: '2026-03-05T10:00:00.000Z', recent: [`b@${Date.parse('2026-03-05T09:59:00Z')}`, `c@${Date.parse('2026-03-05T10:00:00Z')}`] });
    // Never moves back.
    expect(advanceMark(m, [{ key: 'z@0', at: t('2026-03-01T00:00:00Z') }]).at).toBe('2026-03-05T10:00:00.000Z');
  });

  it('pages by keyset, and by page number when a whole page shares (almost) one time', () => {
    expect(nextRequest(null, 1, t('2026-03-05T10:00:00Z'))).toEqual({ ims: '2026-03-05T09:59:59.000Z', page: 1 });
    expect(nextRequest('2026-03-05T09:59:59.000Z', 1, t('2026-03-05T10:00:00Z'))).toEqual({ ims: '2026-03-05T09:59:59.000Z', page: 2 });
    expect(nextRequest('2026-03-05T09:59:59.000Z', 2, t('2026-03-05T10:05:00Z'))).toEqual({ ims: '2026-03-05T10:04:59.000Z', page: 1 });
  });
});
