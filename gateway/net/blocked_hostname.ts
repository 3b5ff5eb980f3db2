/**
 * Host names that always mean "this machine" or "the cloud metadata service"
 * and are refused before any DNS lookup (plugins.md §9).
 *
 * @module
 */

const BLOCKED_NAMES: ReadonlySet<string> = new Set([
  "localhost",
  "localhost.localdomain",
  "instance-data",
  "metadata",
  "metadata.google.internal",
]);

/**
 * True when `hostname` (as in `URL.hostname`) is a blocked name: `localhost`,
 * `*.localhost`, `*.internal`, metadata aliases. A trailing dot is ignored.
 *
 * @example
 * ```ts
 * isBlockedHostname("api.localhost."); // true
 * ```
 */
export function isBlockedHostname(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.+$/, "");
  return BLOCKED_NAMES.has(name) || name.endsWith(".localhost") ||
    name.endsWith(".internal");
}
