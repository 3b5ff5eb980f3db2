/**
 * Credential keys of plugins: sanitised so one plugin can never name another
 * plugin's secret (`../x`, `other:token`), then scoped as `<plugin-id>:<key>`.
 *
 * @module
 */

/** The longest credential key a plugin may use. */
export const MAX_CREDENTIAL_KEY = 64;

/**
 * The sanitised form of a plugin's key (`..`, `/`, `\` → `_`), or `null` when
 * it is empty, longer than 64 characters or contains control characters.
 */
export function sanitizeCredentialKey(key: string): string | null {
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key)) return null;
  const clean = key.replaceAll("..", "_").replace(/[/\\]/g, "_");
  return clean.length >= 1 && clean.length <= MAX_CREDENTIAL_KEY ? clean : null;
}

/**
 * The store key of `key` for `pluginId`; `:` in the plugin id is replaced too.
 *
 * @example
 * ```ts
 * scopedCredentialKey("weather", "../token"); // "weather:__token"
 * ```
 */
export function scopedCredentialKey(
  pluginId: string,
  key: string,
): string | null {
  const clean = sanitizeCredentialKey(key);
  return clean === null ? null : `${credentialPrefix(pluginId)}${clean}`;
}

/** `<plugin-id>:` with the plugin id sanitised. */
export function credentialPrefix(pluginId: string): string {
  return `${pluginId.replaceAll("..", "_").replace(/[/\\:]/g, "_")}:`;
}
