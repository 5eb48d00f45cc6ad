import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readQboCdc, withinCdcWindow } from './qbo-cdc';
import { QboAuthenticationFault, QboStaleObjectError, QboTransientFault, QboValidationFault, qboFaultError, readQboFault } from './qbo-fault';
import { nextQboWatermark, qboQuery } from './qbo-query';

const fixture = (name: string) => JSON.parse(readFileSync(path.join(__dirname, '../../../test/fixtures/quickbooks', name), 'utf8'));
const rec = (id: number, t: string) => ({ Id: String(id), MetaData: { LastUpdatedTime: t } });

describe('QuickBooks query paging', () => {
  it('builds the query statement', () => {
    expect(qboQuery('Invoice', { since: null, position: 1 })).toBe(
      'SELECT * FROM Invoice ORDERBY Metadata.LastUpdatedTime STARTPOSITION 1 MAXRESULTS 1000',
    );
    expect(qboQuery('Customer', { since: '2026-01-05T09:12:47-08:00', position: 3 }, 2)).toBe(
      "SELECT * FROM Customer WHERE Active IN (true, false) AND Metadata.LastUpdatedTime >= '2026-01-05T09:12:47-08:00' ORDERBY Metadata.LastUpdatedTime STARTPOSITION 3 MAXRESULTS 2",
    );
  });

  it('re-queries from the last timestamp, and moves the position only through a page of ties', () => {
    const a = '2026-01-01T00:00:00Z';
    const b = '2026-01-02T00:00:00Z';
    expect(nextQboWatermark('Invoice', { since: null, position: 1 }, [rec(1, a), rec(2, b)], 3)).toBeNull();
    expect(nextQboWatermark('Invoice', { since: null, position: 1 }, [rec(1, a), rec(2, a), rec(3, b)], 3)).toEqual({ since: b, position: 1 });
    expect(nextQboWatermark('Invoice', { since: null, position: 1 }, [rec(1, a), rec(2, a), rec(3, a)], 3)).toEqual({ since: a, position: 4 });
    expect(nextQboWatermark('Invoice', { since: a, position: 4 }, [rec(4, a), rec(5, a), rec(6, a)], 3)).toEqual({ since: a, position: 7 });
    expect(nextQboWatermark('Invoice', { since: a, position: 4 }, [rec(4, a), rec(5, a), rec(6, b)], 3)).toEqual({ since: b, position: 1 });
  });
});

describe('QuickBooks faults', () => {
  it('reads the documented fault shapes into typed errors', () => {
    const stale = readQboFault(fixture('fault-stale-object.json'))!;
    expect(stale).toMatchObject({ type: 'ValidationFault', code: '5010', message: 'Stale Object Error' });
    expect(qboFaultError(stale, 400)).toBeInstanceOf(QboStaleObjectError);

    const parse = readQboFault(fixture('fault-query-200.json'))!;
    const err = qboFaultError(parse, 200);
    expect(err).toBeInstanceOf(QboValidationFault);
    expect(err).not.toBeInstanceOf(QboStaleObjectError);

    const auth = readQboFault(fixture('fault-401.json'))!;
    expect(auth).toMatchObject({ type: 'AUTHENTICATION', code: '3200' });
    expect(qboFaultError(auth, 401)).toBeInstanceOf(QboAuthenticationFault);

    const throttle = qboFaultError(readQboFault(fixture('fault-429.json'))!, 429, 60_000);
    expect(throttle).toBeInstanceOf(QboTransientFault);
    expect((throttle as QboTransientFault).retryAfterMs).toBe(60_000);

    expect(readQboFault(fixture('customers.json'))).toBeNull();
  });
});

describe('QuickBooks change data capture', () => {
  it('lists deleted ids per entity and the server time', () => {
    const cdc = fixture('cdc-deleted.json');
    expect(readQboCdc(cdc, ['Customer', 'Invoice', 'CreditMemo', 'Payment'])).toEqual({
      deleted: { Invoice: ['131'], Payment: ['163'] },
      changed: { Customer: [cdc.CDCResponse[0].QueryResponse[0].Customer[0]] },
      truncated: [],
      time: '2026-01-21T02:00:00.000-08:00',
    });
  });

  it('knows the 30-day window', () => {
    const now = new Date('2026-03-01T00:00:00Z');
    expect(withinCdcWindow('2026-02-01T00:00:00Z', now)).toBe(true);
    expect(withinCdcWindow('2026-01-30T00:00:00Z', now)).toBe(false);
  });
});
