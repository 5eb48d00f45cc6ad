import { TestClock } from '../../../test/helpers/clock';
import { ClockSleeper } from '../../../test/support/clock-sleeper';
import { SourcePausedError } from '../../connectors/connector';
import { RateBudget, RateLimits } from './rate-budget';

const XERO_LIKE: RateLimits = {
  perMinute: 60,
  concurrent: 5,
  minuteReserve: 2,
  headers: { minuteRemaining: 'x-minlimit-remaining', dayRemaining: 'x-daylimit-remaining', problem: 'x-rate-limit-problem', dailyProblemValue: 'day' },
};

describe('RateBudget', () => {
  let clock: TestClock;
  let sleeper: ClockSleeper;
  beforeEach(() => {
    clock = new TestClock(new Date('2026-03-05T10:00:00Z'));
    sleeper = new ClockSleeper(clock);
  });

  it('starts at most perMinute calls in a rolling minute', async () => {
    const budget = new RateBudget({ ...XERO_LIKE, perMinute: 3 }, clock, sleeper);
    for (let i = 0; i < 3; i++) (await budget.acquire())();
    expect(sleeper.waits).toEqual([]);
    clock.set('2026-03-05T10:00:20Z');
    (await budget.acquire())();
    // The 4th call waits until the first one is a minute old.
    expect(sleeper.waits).toEqual([40_000]);
    expect(clock.now().toISOString()).toBe('2026-03-05T10:01:00.000Z');
  });

  it('slows down when the vendor reports its minute counter nearly spent (other replicas count too)', async () => {
    const budget = new RateBudget(XERO_LIKE, clock, sleeper);
    (await budget.acquire())();
    clock.set('2026-03-05T10:00:10Z');
    budget.observe({ 'x-minlimit-remaining': '2', 'x-daylimit-remaining': '4000' });
    (await budget.acquire())();
    expect(sleeper.waits).toEqual([50_000]);
    budget.observe({ 'x-minlimit-remaining': '59' });
    (await budget.acquire())();
    expect(sleeper.waits).toEqual([50_000]);
  });

  it('keeps at most `concurrent` calls in flight', async () => {
    const budget = new RateBudget({ ...XERO_LIKE, concurrent: 2 }, clock, sleeper);
    const r1 = await budget.acquire();
    const r2 = await budget.acquire();
    let third = false;
    const p3 = budget.acquire().then((r) => {
      third = true;
      return r;
    });
    await new Promise((r) => setImmediate(r));
    expect(third).toBe(false);
    r1();
    const r3 = await p3;
    expect(third).toBe(true);
    r2();
    r3();
  });

  it('pauses when the daily limit is spent instead of failing', async () => {
    const budget = new RateBudget({ ...XERO_LIKE, dayPauseMs: 3_600_000 }, clock, sleeper);
    budget.observe({ 'x-daylimit-remaining': '0' });
    const err = await budget.acquire().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourcePausedError);
    expect((err as SourcePausedError).until.toISOString()).toBe('2026-03-05T11:00:00.000Z');
    clock.set('2026-03-05T11:00:00Z');
    (await budget.acquire())();
    expect(budget.isDailyLimit({ 'x-rate-limit-problem': 'day' })).toBe(true);
    expect(budget.isDailyLimit({ 'x-rate-limit-problem': 'minute' })).toBe(false);
  });
});
