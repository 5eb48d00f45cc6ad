/** "Now", injected so that business logic can be driven in tests. */
export abstract class Clock {
  abstract now(): Date;

  /** Today's date (YYYY-MM-DD) in an IANA timezone. */
  today(timezone = 'UTC'): string {
    return toIsoDate(this.now(), timezone);
  }
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

export function toIsoDate(at: Date, timezone = 'UTC'): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
