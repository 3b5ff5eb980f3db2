/**
 * A value built on first use.
 *
 * @module
 */

/**
 * Returns a function that builds the value on its first call and hands out
 * the same promise afterwards; a failed build is tried again next time.
 *
 * @example
 * ```ts
 * const client = lazy(async () => new (await import("openai")).default({ apiKey }));
 * await client();
 * ```
 */
export function lazy<T>(build: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= build().catch((error) => {
      value = undefined;
      throw error;
    });
    return value;
  };
}
