/**
 * Which key names mark a secret value, for every display and log path (config
 * display, config errors, log fields). One list, so a key hidden in one place
 * is never shown in another.
 *
 * @module
 */

/** The marker that replaces every secret value. */
export const REDACTED = "[REDACTED]";

/**
 * Substrings of a key name with everything but letters and digits removed and
 * lower-cased: `apiKey`, `api_key`, `x-api-key` and `API-KEY` all match `apikey`.
 */
export const SECRET_KEY_PARTS: readonly string[] = [
  "apikey",
  "accesskey",
  "token",
  "secret",
  "password",
  "passwd",
  "passphrase",
  "recovery",
  "credential",
  "authorization",
  "cookie",
  "privatekey",
  "bearer",
];

/** Whether a value stored under `key` must never be shown or logged. */
export function isSecretKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[^a-z0-9]/g, "");
  return SECRET_KEY_PARTS.some((part) => normalized.includes(part));
}
