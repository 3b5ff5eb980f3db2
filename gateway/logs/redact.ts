/**
 * Turns arbitrary log fields into JSON-safe values with secrets removed.
 *
 * A key "looks secret" when its lower-cased letters and digits contain one of
 * `SECRET_KEY_PARTS`, so `apiKey`, `x-api-key`, `access_token` and
 * `Set-Cookie` are all caught. Bearer credentials inside string values are
 * masked too, because headers and URLs end up in messages by accident.
 *
 * @module
 */

import { isSecretKey, REDACTED } from "../secret_keys.ts";

export { isSecretKey, REDACTED, SECRET_KEY_PARTS } from "../secret_keys.ts";

const MAX_DEPTH = 6;
const MAX_ITEMS = 100;
const MAX_STRING = 8192;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;

/** Masks `Bearer …` / `Basic …` credentials inside free text. */
export function redactText(text: string): string {
  const capped = text.length > MAX_STRING
    ? `${text.slice(0, MAX_STRING)}…[${text.length - MAX_STRING} more chars]`
    : text;
  return capped.replace(
    BEARER,
    (_match, scheme: string) => `${scheme} ${REDACTED}`,
  );
}

/**
 * Returns a JSON-safe copy of `fields` with secret values replaced by
 * {@linkcode REDACTED}; depth, collection size and string length are capped.
 *
 * @example
 * ```ts
 * redactFields({ user: "ana", apiKey: "sk-1" }); // { user: "ana", apiKey: "[REDACTED]" }
 * ```
 */
export function redactFields(
  fields: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  return sanitizeObject(fields, 0);
}

function sanitizeObject(
  value: Readonly<Record<string, unknown>>,
  depth: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let count = 0;
  for (const [key, item] of Object.entries(value)) {
    if (count++ >= MAX_ITEMS) {
      out["…"] = "more keys omitted";
      break;
    }
    out[key] = isSecretKey(key) ? REDACTED : sanitize(item, depth + 1);
  }
  return out;
}

function sanitize(value: unknown, depth: number): unknown {
  if (value === null || typeof value === "boolean") return value;
  if (typeof value === "number") {
    return Number.isFinite(value) ? value : String(value);
  }
  if (typeof value === "string") return redactText(value);
  if (typeof value === "bigint") return value.toString();
  if (
    value === undefined || typeof value === "function" ||
    typeof value === "symbol"
  ) {
    return undefined;
  }
  if (depth > MAX_DEPTH) return "[too deep]";
  if (value instanceof Error) {
    return sanitizeObject(
      {
        name: value.name,
        message: value.message,
        stack: value.stack,
        code: (value as { code?: unknown }).code,
      },
      depth,
    );
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) =>
      sanitize(item, depth + 1)
    );
    if (value.length > MAX_ITEMS) {
      items.push(`…${value.length - MAX_ITEMS} more`);
    }
    return items;
  }
  if (value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
  return sanitizeObject(value as Record<string, unknown>, depth);
}
