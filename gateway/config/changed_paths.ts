/**
 * The dotted paths at which two config values differ: the `changed` list of
 * `config.changed` events and `config_changed` audit entries. Values are
 * never reported, only where they changed.
 *
 * @module
 */
import { isRecord, jsonEqual } from "./_object.ts";

/** The most paths one comparison reports; a longer list ends with `…`. */
export const MAX_CHANGED_PATHS = 100;

/**
 * Sorted dotted paths (objects compared key by key, arrays as one value).
 *
 * @example
 * ```ts
 * changedPaths({ gateway: { port: 1 } }, { gateway: { port: 2 }, logging: {} });
 * // ["gateway.port", "logging"]
 * ```
 */
export function changedPaths(
  before: unknown,
  after: unknown,
  options: { limit?: number } = {},
): string[] {
  const limit = options.limit ?? MAX_CHANGED_PATHS;
  const out: string[] = [];
  collect(before, after, [], out);
  out.sort();
  return out.length > limit ? [...out.slice(0, limit), "…"] : out;
}

function collect(
  before: unknown,
  after: unknown,
  prefix: string[],
  out: string[],
): void {
  if (isRecord(before) && isRecord(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of keys) {
      collect(
        Object.hasOwn(before, key) ? before[key] : undefined,
        Object.hasOwn(after, key) ? after[key] : undefined,
        [...prefix, key],
        out,
      );
    }
    return;
  }
  if (!jsonEqual(before, after)) out.push(prefix.join(".") || "(root)");
}
