import { Clock } from '../../src/common/clock';

/** A clock the test drives: no sleeps. */
export class TestClock extends Clock {
  constructor(private current: Date = new Date('2026-01-15T09:00:00Z')) {
    super();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(at: Date | string): void {
    this.current = new Date(at);
  }

  advanceDays(days: number): void {
    this.current = new Date(this.current.getTime() + days * 86_400_000);
  }
}
