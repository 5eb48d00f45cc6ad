import { Injectable } from '@nestjs/common';
import { Clock } from '../clock';
import { SourcePausedError } from '../../connectors/connector';
import { Sleeper } from './sleeper';

/** A vendor's documented limits for one connection (organisation). */
export interface RateLimits {
  /** Calls per rolling minute. */
  perMinute: number;
  /** Calls in flight at once. */
  concurrent: number;
  /** Minute calls kept in hand: the budget waits when the vendor reports this few left. */
  minuteReserve?: number;
  /** Response headers the vendor reports its counters in (lower-case), and the throttling reason. */
  headers?: {
    minuteRemaining?: string;
    dayRemaining?: string;
    /** Header naming which limit a 429 hit (e.g. Xero's `x-rate-limit-problem`). */
    problem?: string;
    /** Value of `problem` meaning the daily limit. */
    dailyProblemValue?: string;
  };
  /** When the daily counter reads 0 but no reset time is known, pause this long. */
  dayPauseMs?: number;
}

const MINUTE = 60_000;

/**
 * The per-connection call budget: at most `concurrent` calls in flight, at most `perMinute`
 * started per rolling minute, and the vendor's own counters (read from response headers)
 * slow calls down before the vendor throttles. A spent daily limit raises
 * `SourcePausedError` (the runner pauses the connection until then) instead of failing.
 * One budget per connection and process; the vendor's headers account for other replicas.
 */
export class RateBudget {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly started: number[] = [];
  private minuteRemaining: number | null = null;
  private minuteObservedAt = 0;
  private pausedUntil: Date | null = null;

  constructor(
    readonly limits: RateLimits,
    private readonly clock: Clock,
    private readonly sleeper: Sleeper,
  ) {}

  /** Waits for a slot; the returned function releases it (call it once the response is in). */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    this.assertNotPaused();
    // A released slot is handed over to the next waiter, so `inFlight` never overshoots.
    if (this.inFlight >= this.limits.concurrent) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.inFlight++;
    try {
      await this.waitForMinuteSlot(signal);
    } catch (e) {
      this.release();
      throw e;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release();
    };
  }

  /** Reads the vendor's counters from a response's headers. */
  observe(headers: Record<string, unknown> | undefined): void {
    if (!headers) return;
    const names = this.limits.headers ?? {};
    const minute = names.minuteRemaining ? toInt(headers[names.minuteRemaining]) : null;
    if (minute !== null) {
      this.minuteRemaining = minute;
      this.minuteObservedAt = this.clock.now().getTime();
    }
    const day = names.dayRemaining ? toInt(headers[names.dayRemaining]) : null;
    if (day !== null && day <= 0) this.pause(new Date(this.clock.now().getTime() + (this.limits.dayPauseMs ?? 60 * MINUTE)));
  }

  /** Whether a 429 was for the daily limit (then the caller pauses rather than retries). */
  isDailyLimit(headers: Record<string, unknown> | undefined): boolean {
    const names = this.limits.headers ?? {};
    if (!headers || !names.problem || !names.dailyProblemValue) return false;
    const v = headers[names.problem];
    return typeof v === 'string' && v.trim().toLowerCase() === names.dailyProblemValue.toLowerCase();
  }

  /** The daily limit is spent until `until`: every call raises `SourcePausedError` until then. */
  pause(until: Date): void {
    if (!this.pausedUntil || until > this.pausedUntil) this.pausedUntil = until;
  }

  /** Calls started within the last minute (for reports and tests). */
  startedInLastMinute(): number {
    this.prune();
    return this.started.length;
  }

  private assertNotPaused(): void {
    if (this.pausedUntil && this.clock.now() < this.pausedUntil) {
      throw new SourcePausedError(`daily API limit reached; calls resume at ${this.pausedUntil.toISOString()}`, this.pausedUntil);
    }
  }

  private async waitForMinuteSlot(signal?: AbortSignal): Promise<void> {
    for (;;) {
      this.prune();
      const now = this.clock.now().getTime();
      const reserve = this.limits.minuteReserve ?? 1;
      let waitMs = 0;
      if (this.started.length >= this.limits.perMinute) waitMs = this.started[0] + MINUTE - now;
      // The vendor's counter also sees other replicas' calls: trust it while it is fresh.
      const vendorFresh = this.minuteRemaining !== null && now - this.minuteObservedAt < MINUTE;
      if (vendorFresh && this.minuteRemaining! <= reserve) {
        const windowEnd = (this.started[0] ?? this.minuteObservedAt) + MINUTE;
        waitMs = Math.max(waitMs, windowEnd - now);
      }
      if (waitMs <= 0) {
        this.assertNotPaused();
        this.started.push(now);
        return;
      }
      await this.sleeper.sleep(waitMs, signal);
      if (vendorFresh) this.minuteRemaining = null;
    }
  }

  private prune(): void {
    const cutoff = this.clock.now().getTime() - MINUTE;
    while (this.started.length && this.started[0] <= cutoff) this.started.shift();
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inFlight--;
  }
}

function toInt(v: unknown): number | null {
  if (Array.isArray(v)) v = v[0];
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return null;
}

/** One budget per connection and process, shared by its pulls and write-backs. */
@Injectable()
export class RateBudgets {
  private readonly byKey = new Map<string, RateBudget>();

  constructor(
    private readonly clock: Clock,
    private readonly sleeper: Sleeper,
  ) {}

  for(connectionId: string, limits: RateLimits): RateBudget {
    let b = this.byKey.get(connectionId);
    if (!b) {
      b = new RateBudget(limits, this.clock, this.sleeper);
      this.byKey.set(connectionId, b);
    }
    return b;
  }
}
