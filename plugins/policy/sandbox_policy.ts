/**
 * The coarse sandbox policy of `plugins.sandbox` (plugins.md §7): HTTP,
 * credentials and media are denied unless the defaults or the plugin's
 * override allow them; config reads and logging are always allowed.
 *
 * @module
 */

/** `allow_*` switches as written in config (snake_case). */
export interface CapabilitySwitches {
  allow_http?: boolean;
  allow_credentials?: boolean;
  allow_media?: boolean;
}

/** `plugins.sandbox` as written in config. */
export interface SandboxConfig {
  enabled?: boolean;
  allow_tailscale?: boolean;
  defaults?: CapabilitySwitches;
  overrides?: Readonly<Record<string, CapabilitySwitches>>;
}

/** A capability gated by the sandbox. */
export type Capability = "http" | "credentials" | "media";

/** What one plugin may do under the sandbox policy. */
export interface SandboxGrant {
  /** False when `plugins.sandbox.enabled` is false: checks are skipped. */
  enforced: boolean;
  http: boolean;
  credentials: boolean;
  media: boolean;
  allowTailscale: boolean;
}

/**
 * Resolves the sandbox grant of `pluginId`: each switch comes from the
 * plugin's override when set there, else from `defaults`, else false.
 *
 * @example
 * ```ts
 * const grant = resolveSandbox("weather", { overrides: { weather: { allow_http: true } } });
 * grant.http; // true
 * ```
 */
export function resolveSandbox(
  pluginId: string,
  config: SandboxConfig = {},
): SandboxGrant {
  const enforced = config.enabled ?? true;
  const override = Object.hasOwn(config.overrides ?? {}, pluginId)
    ? config.overrides?.[pluginId]
    : undefined;
  const pick = (key: keyof CapabilitySwitches): boolean =>
    !enforced || (override?.[key] ?? config.defaults?.[key] ?? false);
  return {
    enforced,
    http: pick("allow_http"),
    credentials: pick("allow_credentials"),
    media: pick("allow_media"),
    allowTailscale: config.allow_tailscale ?? false,
  };
}

/** The config key that would allow `capability` for `pluginId`. */
export function sandboxSwitchKey(
  pluginId: string,
  capability: Capability,
): string {
  const name = capability === "http"
    ? "allow_http"
    : capability === "credentials"
    ? "allow_credentials"
    : "allow_media";
  return `plugins.sandbox.overrides.${pluginId}.${name}`;
}
