/**
 * A sliding-window rate limiter: at most `limit` events in any `windowMs`.
 *
 * @module
 */

/**
 * Counts events in the last `windowMs` milliseconds of an injected clock.
 *
 * @example
 * ```ts
 * const limiter = new SlidingWindowLimiter(100, 60_000);
 * if (!limiter.tryTake()) throw new Error("rate limited");
 * ```
 */
export class SlidingWindowLimiter {
  readonly limit: number;
  readonly windowMs: number;
  #clock: () => number;
  #times: number[] = [];

  constructor(limit: number, windowMs: number, clock: () => number = Date.now) {
    this.limit = limit;
    this.windowMs = windowMs;
    this.#clock = clock;
  }

  /** Records one event and returns true, or returns false when the window is full. */
  tryTake(): boolean {
    const now = this.#clock();
    const times = this.#times;
    while (times.length > 0 && times[0]! <= now - this.windowMs) times.shift();
    if (times.length >= this.limit) return false;
    times.push(now);
    return true;
  }
}
