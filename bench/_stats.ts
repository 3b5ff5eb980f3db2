/**
 * Summary statistics of timing samples.
 *
 * @module
 */

/** Median, 90th percentile, minimum and maximum of samples, in ms. */
export interface Summary {
  samples: number;
  median_ms: number;
  p90_ms: number;
  min_ms: number;
  max_ms: number;
}

/**
 * Summarises samples; p90 is the nearest-rank percentile and the median of
 * an even count is the mean of the two middle values.
 *
 * @throws RangeError when `samples` is empty
 */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) {
    throw new RangeError("Summarize samples failed: there are no samples");
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (index: number) => sorted[index] ?? Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1
    ? at(mid)
    : (at(mid - 1) + at(mid)) / 2;
  return {
    samples: sorted.length,
    median_ms: round(median),
    p90_ms: round(at(Math.ceil(0.9 * sorted.length) - 1)),
    min_ms: round(at(0)),
    max_ms: round(at(sorted.length - 1)),
  };
}

/** Rounds to 0.1 (ms or MiB): finer digits are noise on our machines. */
export function round(value: number): number {
  return Math.round(value * 10) / 10;
}
