/**
 * The deep merge used by `$include`.
 *
 * @module
 */
import { cloneJson, type ConfigObject, isRecord, setOwn } from "./_object.ts";

/**
 * Merges `over` onto `base` without touching either: objects merge key by
 * key, arrays concatenate, anything else is replaced by `over`.
 *
 * @example
 * ```ts
 * deepMerge({ a: { x: 1 }, l: [1] }, { a: { y: 2 }, l: [2] });
 * // { a: { x: 1, y: 2 }, l: [1, 2] }
 * ```
 */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (Array.isArray(base) && Array.isArray(over)) {
    return [...cloneJson(base), ...cloneJson(over)];
  }
  if (isRecord(base) && isRecord(over)) {
    const merged: ConfigObject = cloneJson(base);
    for (const [key, value] of Object.entries(over)) {
      setOwn(
        merged,
        key,
        Object.hasOwn(merged, key)
          ? deepMerge(merged[key], value)
          : cloneJson(value),
      );
    }
    return merged;
  }
  return cloneJson(over);
}
