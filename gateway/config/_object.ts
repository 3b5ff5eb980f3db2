/**
 * Small helpers for the plain JSON values a config is made of.
 *
 * @module
 */

/** A JSON object as parsed from a config file. */
export type ConfigObject = Record<string, unknown>;

/** Whether a value is a plain (non-array, non-null) object. */
export function isRecord(value: unknown): value is ConfigObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Sets an own property. Plain assignment of a `__proto__` key (which JSON5
 * parses as an ordinary key) would replace the prototype instead.
 */
export function setOwn(
  target: ConfigObject,
  key: string,
  value: unknown,
): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** Structural equality of JSON values. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) =>
      Object.hasOwn(b, key) && jsonEqual(a[key], b[key])
    );
  }
  return false;
}

/** A deep copy of a JSON value (own keys only). */
export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  if (isRecord(value)) {
    const copy: ConfigObject = {};
    for (const [key, item] of Object.entries(value)) {
      setOwn(copy, key, cloneJson(item));
    }
    return copy as T;
  }
  return value;
}

/** `["gateway", "port"]` → `gateway.port`; the root is `(root)`. */
export function formatKeyPath(segments: readonly (string | number)[]): string {
  return segments.length === 0 ? "(root)" : segments.join(".");
}

/** The value at `segments`, or `undefined` when any step is missing. */
export function valueAt(
  root: unknown,
  segments: readonly (string | number)[],
): unknown {
  let current = root;
  for (const segment of segments) {
    if (Array.isArray(current) && typeof segment === "number") {
      current = current[segment];
    } else if (isRecord(current) && Object.hasOwn(current, String(segment))) {
      current = current[String(segment)];
    } else {
      return undefined;
    }
  }
  return current;
}
