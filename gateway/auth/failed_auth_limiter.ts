/**
 * A per-IP limiter of failed authentication attempts (WS connect and HTTP
 * service auth). The reference has none; without it a token can be guessed at
 * line rate. Loopback peers are counted too: a local attacker is an attacker.
 *
 * @module
 */

/** Options of {@linkcode FailedAuthLimiter}. */
export interface FailedAuthLimiterOptions {
  /** Failures allowed per window and IP (default 10). */
  maxFailures?: number;
  /** Window length in ms (default 60 000). */
  windowMs?: number;
  /** Most IPs tracked at once; the oldest entry is dropped first (default 10 000). */
  maxTrackedIps?: number;
  /** Milliseconds clock (default `Date.now`). */
  clock?: () => number;
}

interface Window {
  startMs: number;
  failures: number;
}

/**
 * Counts failures per IP in fixed windows; once an IP reaches the limit it is
 * refused until its window ends.
 *
 * @example
 * ```ts
 * const limiter = new FailedAuthLimiter();
 * const wait = limiter.retryAfterMs(ip);
 * if (wait > 0) throw refuse(wait);
 * if (!ok) limiter.recordFailure(ip);
 * ```
 */
export class FailedAuthLimiter {
  #max: number;
  #windowMs: number;
  #maxIps: number;
  #clock: () => number;
  #windows = new Map<string, Window>();

  constructor(options: FailedAuthLimiterOptions = {}) {
    this.#max = options.maxFailures ?? 10;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#maxIps = options.maxTrackedIps ?? 10_000;
    this.#clock = options.clock ?? Date.now;
    if (this.#max < 1 || this.#windowMs < 1 || this.#maxIps < 1) {
      throw new RangeError(
        "Cannot create the failed-auth limiter: maxFailures, windowMs and maxTrackedIps must be at least 1",
      );
    }
  }

  /** Milliseconds until `ip` may try again; 0 when it may try now. */
  retryAfterMs(ip: string): number {
    const window = this.#current(ip);
    if (window === undefined || window.failures < this.#max) return 0;
    return Math.max(1, window.startMs + this.#windowMs - this.#clock());
  }

  /** Records one failed attempt from `ip`. */
  recordFailure(ip: string): void {
    const window = this.#current(ip);
    if (window !== undefined) {
      window.failures++;
      return;
    }
    if (this.#windows.size >= this.#maxIps) this.#evict();
    this.#windows.set(ip, { startMs: this.#clock(), failures: 1 });
  }

  /** How many IPs are tracked (for tests and metrics). */
  get trackedIps(): number {
    return this.#windows.size;
  }

  #current(ip: string): Window | undefined {
    const window = this.#windows.get(ip);
    if (window === undefined) return undefined;
    if (this.#clock() - window.startMs >= this.#windowMs) {
      this.#windows.delete(ip);
      return undefined;
    }
    return window;
  }

  #evict(): void {
    const now = this.#clock();
    for (const [ip, window] of this.#windows) {
      if (now - window.startMs >= this.#windowMs) this.#windows.delete(ip);
    }
    // Map order is insertion order: the first key is the oldest window.
    while (this.#windows.size >= this.#maxIps) {
      const oldest = this.#windows.keys().next().value;
      if (oldest === undefined) break;
      this.#windows.delete(oldest);
    }
  }
}

/** The `rate_limited` message for a refused attempt. */
export function tooManyFailuresMessage(retryAfterMs: number): string {
  return `too many failed authentication attempts; retry in ${
    Math.ceil(retryAfterMs / 1000)
  } s`;
}
