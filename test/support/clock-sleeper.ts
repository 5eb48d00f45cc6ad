import { Sleeper } from '../../src/common/http/sleeper';
import type { TestClock } from '../helpers/clock';

/** A Sleeper that advances the test clock instead of waiting, and records every wait. */
export class ClockSleeper extends Sleeper {
  readonly waits: number[] = [];

  constructor(private readonly clock: TestClock) {
    super();
  }

  override async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.waits.push(ms);
    this.clock.set(new Date(this.clock.now().getTime() + ms));
  }
}
