/**
 * Lets a client send back what `config.get` showed it: a `"[REDACTED]"`
 * placeholder where the file already holds a value means "keep that value",
 * so a redacted round trip never overwrites (or leaks into) a secret.
 *
 * @module
 */
import { type ConfigObject, isRecord, setOwn } from "./_object.ts";
import { REDACTED } from "./redact.ts";

/**
 * A copy of `candidate` with every `"[REDACTED]"` string replaced by the value
 * `before` holds at the same path (left as is when `before` has none).
 *
 * @example
 * ```ts
 * restoreRedacted({ token: "[REDACTED]", port: 2 }, { token: "enc:v2:…", port: 1 });
 * // { token: "enc:v2:…", port: 2 }
 * ```
 */
export function restoreRedacted(candidate: unknown, before: unknown): unknown {
  if (candidate === REDACTED) return before === undefined ? candidate : before;
  if (Array.isArray(candidate)) {
    return candidate.map((item, i) =>
      restoreRedacted(item, Array.isArray(before) ? before[i] : undefined)
    );
  }
  if (isRecord(candidate)) {
    const out: ConfigObject = {};
    for (const [key, value] of Object.entries(candidate)) {
      const old = isRecord(before) && Object.hasOwn(before, key)
        ? before[key]
        : undefined;
      setOwn(out, key, restoreRedacted(value, old));
    }
    return out;
  }
  return candidate;
}
