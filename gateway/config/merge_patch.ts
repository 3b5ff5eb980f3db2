/**
 * JSON merge patch (RFC 7386) for `config.patch`: objects merge key by key,
 * `null` deletes a key, anything else (arrays included) replaces.
 *
 * @module
 */
import { cloneJson, type ConfigObject, isRecord, setOwn } from "./_object.ts";

/**
 * Applies `patch` to `target` without touching either.
 *
 * @example
 * ```ts
 * mergePatch({ a: 1, b: { c: 2, d: 3 } }, { a: null, b: { c: 5 } });
 * // { b: { c: 5, d: 3 } }
 * ```
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return cloneJson(patch);
  const merged: ConfigObject = isRecord(target) ? cloneJson(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete merged[key];
    } else {
      setOwn(
        merged,
        key,
        mergePatch(Object.hasOwn(merged, key) ? merged[key] : undefined, value),
      );
    }
  }
  return merged;
}
