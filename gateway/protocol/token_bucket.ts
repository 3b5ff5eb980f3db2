/**
 * A token bucket for per-connection message rates.
 *
 * @module
 */

/** Options of {@linkcode TokenBucket}. */
export interface TokenBucketOptions {
  /** Tokens added per second. */
  rate: number;
  /** Capacity (and the initial fill). */
  burst: number;
  /** Monotonic clock in milliseconds (default `performance.now`). */
  clock?: () => number;
}

/** Refills continuously at `rate`/s up to `burst`. */
export class TokenBucket {
  readonly #rate: number;
  readonly #burst: number;
  readonly #clock: () => number;
  #tokens: number;
  #last: number;

  constructor(options: TokenBucketOptions) {
    this.#rate = options.rate;
    this.#burst = options.burst;
    this.#clock = options.clock ?? (() => performance.now());
    this.#tokens = options.burst;
    this.#last = this.#clock();
  }

  /** Takes one token; `0` when taken, else the milliseconds until one is available. */
  take(): number {
    const now = this.#clock();
    this.#tokens = Math.min(
      this.#burst,
      this.#tokens + ((now - this.#last) / 1000) * this.#rate,
    );
    this.#last = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - this.#tokens) / this.#rate) * 1000));
  }
}
