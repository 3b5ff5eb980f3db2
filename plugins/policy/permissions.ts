/**
 * Fine-grained plugin permissions (plugins.md §7): the manifest declares what
 * a plugin needs, `plugins.permissions.overrides.<id>` may replace each list,
 * and an empty (or missing) list means no access. Only enforced when
 * `plugins.permissions.enabled` is true.
 *
 * @module
 */
import { matchesAnyGlob } from "./url_glob.ts";

/** The most HTTP requests per minute any plugin may make. */
export const MAX_HTTP_REQUESTS_PER_MINUTE = 100;

/** `permissions` of a plugin manifest (JSON in the `plugin-manifest` section). */
export interface DeclaredPermissions {
  http?: { allowed_urls?: string[]; max_requests_per_minute?: number };
  credentials?: { allowed_keys?: string[] };
  media?: { allowed_urls?: string[] };
}

/** `plugins.permissions.overrides.<id>` as written in config. */
export interface PermissionOverride {
  http_allowed_urls?: string[];
  http_max_requests_per_minute?: number;
  credential_allowed_keys?: string[];
  media_allowed_urls?: string[];
  deny_all?: boolean;
}

/** `plugins.permissions` as written in config. */
export interface PermissionsConfig {
  enabled?: boolean;
  overrides?: Readonly<Record<string, PermissionOverride>>;
}

/** The permissions in force for one plugin. */
export interface PluginPermissions {
  /** False when fine-grained permissions are off: only the sandbox applies. */
  enforced: boolean;
  denyAll: boolean;
  httpAllowedUrls: readonly string[];
  credentialAllowedKeys: readonly string[];
  mediaAllowedUrls: readonly string[];
  /** HTTP requests per sliding minute, at most 100. */
  httpRequestsPerMinute: number;
}

/**
 * Resolves the permissions of `pluginId` from config and its manifest.
 *
 * @example
 * ```ts
 * const p = resolvePermissions("weather", { enabled: true }, { http: { allowed_urls: ["https://api.weather.example/**"] } });
 * permits(p, p.httpAllowedUrls, "https://api.weather.example/v1"); // true
 * ```
 */
export function resolvePermissions(
  pluginId: string,
  config: PermissionsConfig = {},
  declared: DeclaredPermissions = {},
): PluginPermissions {
  const override = Object.hasOwn(config.overrides ?? {}, pluginId)
    ? config.overrides?.[pluginId] ?? {}
    : {};
  const rate = override.http_max_requests_per_minute ??
    declared.http?.max_requests_per_minute ?? MAX_HTTP_REQUESTS_PER_MINUTE;
  const enforced = config.enabled ?? false;
  return {
    enforced,
    denyAll: override.deny_all ?? false,
    httpAllowedUrls: override.http_allowed_urls ??
      declared.http?.allowed_urls ?? [],
    credentialAllowedKeys: override.credential_allowed_keys ??
      declared.credentials?.allowed_keys ?? [],
    mediaAllowedUrls: override.media_allowed_urls ??
      declared.media?.allowed_urls ?? [],
    httpRequestsPerMinute: enforced
      ? Math.max(0, Math.min(Math.floor(rate), MAX_HTTP_REQUESTS_PER_MINUTE))
      : MAX_HTTP_REQUESTS_PER_MINUTE,
  };
}

/** True when `value` passes `list` under `permissions` (always when not enforced). */
export function permits(
  permissions: PluginPermissions,
  list: readonly string[],
  value: string,
): boolean {
  if (!permissions.enforced) return true;
  return !permissions.denyAll && matchesAnyGlob(list, value);
}
