/**
 * Dotted key paths (`gateway.port`, `agents.list.0.id`) into a plain config.
 *
 * @module
 */
import { cloneJson, type ConfigObject, isRecord, setOwn } from "./_object.ts";
import { ConfigError } from "./errors.ts";

/** The longest key path accepted. */
export const MAX_KEY_LENGTH = 512;
const FORBIDDEN = ["__proto__", "prototype", "constructor"];

/**
 * Splits and checks a dotted key.
 *
 * @throws {ConfigError} kind `validation` for an empty segment, a reserved name or a key over 512 characters
 */
export function parseKeyPath(key: string): string[] {
  const segments = key.split(".");
  const problem = key.length > MAX_KEY_LENGTH
    ? `it is longer than ${MAX_KEY_LENGTH} characters`
    : segments.some((s) => s.trim() === "")
    ? 'it has an empty segment; use dots only between names, e.g. "gateway.port"'
    : segments.some((s) => FORBIDDEN.includes(s))
    ? `"__proto__", "prototype" and "constructor" are not allowed as names`
    : null;
  if (problem !== null) {
    throw new ConfigError(
      "validation",
      `Invalid config key "${key.slice(0, 80)}": ${problem}`,
    );
  }
  return segments;
}

/** The value at `segments` (array items by index), or `found: false`. */
export function getKeyPath(
  root: unknown,
  segments: readonly string[],
): { found: boolean; value: unknown } {
  let current = root;
  for (const segment of segments) {
    if (
      Array.isArray(current) && /^\d+$/.test(segment) &&
      Number(segment) < current.length
    ) {
      current = current[Number(segment)];
    } else if (isRecord(current) && Object.hasOwn(current, segment)) {
      current = current[segment];
    } else {
      return { found: false, value: undefined };
    }
  }
  return { found: true, value: current };
}

/**
 * A copy of `root` with `value` at `segments`, creating intermediate objects.
 *
 * @throws {ConfigError} kind `validation` when a step is a value, not an object
 */
export function setKeyPath(
  root: ConfigObject,
  segments: readonly string[],
  value: unknown,
): ConfigObject {
  const copy = cloneJson(root);
  let current: unknown = copy;
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    const index = Number(segment);
    if (
      Array.isArray(current) && /^\d+$/.test(segment) && index <= current.length
    ) {
      if (last) current[index] = cloneJson(value);
      else current = current[index] ??= {};
    } else if (isRecord(current)) {
      if (last) setOwn(current, segment, cloneJson(value));
      else {
        if (current[segment] === undefined || current[segment] === null) {
          setOwn(current, segment, {});
        }
        current = current[segment];
      }
    } else {
      const at = segments.slice(0, i).join(".");
      throw new ConfigError(
        "validation",
        `Cannot set "${segments.join(".")}": "${at}" holds ${
          describe(current)
        }, not an object`,
        { keyPath: at },
      );
    }
  });
  return copy;
}

function describe(value: unknown): string {
  return Array.isArray(value)
    ? "an array"
    : value === null
    ? "null"
    : `a ${typeof value}`;
}
