/**
 * Redaction of config values for display (`cara config show|get|set`,
 * `config.get` over WS). The stored config is never changed.
 *
 * @module
 */
import { type ConfigObject, isRecord, setOwn } from "./_object.ts";

import { isSecretKey, REDACTED } from "../secret_keys.ts";

export { isSecretKey, REDACTED } from "../secret_keys.ts";

const SECRET_VALUE =
  /^(enc:v\d+:|sk-[A-Za-z0-9_-]{8,}|xox[abprs]-|gh[pousr]_[A-Za-z0-9]{8,})/;
// Counts such as `maxTokens` or `contextTokens` contain "token" but are not secrets.
const TOKEN_COUNT = /tokens$/i;

/**
 * A copy of `value` with secrets replaced by `"[REDACTED]"`: every string or
 * number under a secret-looking key (recursively), and any string that looks
 * like ciphertext or a well-known API key. `key` is the name `value` is
 * stored under, if any.
 *
 * @example
 * ```ts
 * redactConfig({ gateway: { auth: { token: "abc" }, port: 1 } });
 * // { gateway: { auth: { token: "[REDACTED]" }, port: 1 } }
 * ```
 */
export function redactConfig(value: unknown, key?: string): unknown {
  return redact(
    value,
    key !== undefined && isSecretKey(key) && !isCount(key, value),
  );
}

function redact(value: unknown, secret: boolean): unknown {
  if (typeof value === "string") {
    return secret || SECRET_VALUE.test(value) ? REDACTED : value;
  }
  if (typeof value === "number") return secret ? REDACTED : value;
  if (Array.isArray(value)) return value.map((item) => redact(item, secret));
  if (isRecord(value)) {
    const out: ConfigObject = {};
    for (const [key, item] of Object.entries(value)) {
      setOwn(
        out,
        key,
        redact(item, secret || (isSecretKey(key) && !isCount(key, item))),
      );
    }
    return out;
  }
  return value;
}

function isCount(key: string, value: unknown): boolean {
  return typeof value === "number" && TOKEN_COUNT.test(key);
}
