/**
 * What every host function of one plugin instance shares: its id, the
 * resolved policy, the limiters and the gateway's collaborators.
 *
 * @module
 */
import type { LogFields } from "../../gateway/logs/logger.ts";
import type { GuardedFetchOptions } from "../../gateway/net/guarded_fetch.ts";
import type { PluginPermissions } from "../policy/permissions.ts";
import type { Capability, SandboxGrant } from "../policy/sandbox_policy.ts";
import { sandboxSwitchKey } from "../policy/sandbox_policy.ts";
import type { SlidingWindowLimiter } from "./sliding_window.ts";
import type { CredentialStore } from "./types.ts";

/** The part of the gateway logger host functions write to. */
export interface HostLogger {
  debug(target: string, message: string, fields?: LogFields): void;
  info(target: string, message: string, fields?: LogFields): void;
  warn(target: string, message: string, fields?: LogFields): void;
  error(target: string, message: string, fields?: LogFields): void;
}

/** Network settings of host fetches (tests inject a resolver and trusted loopback). */
export type HostFetchSettings = Pick<
  GuardedFetchOptions,
  "resolve" | "trustedAddresses" | "caCerts"
>;

/** Shared state of one plugin's host functions. */
export interface HostContext {
  pluginId: string;
  /** `plugins.<pluginId>` */
  target: string;
  logger: HostLogger;
  credentials: CredentialStore;
  grant: SandboxGrant;
  permissions: PluginPermissions;
  /** HTTP and media requests share it. */
  httpLimiter: SlidingWindowLimiter;
  credentialWriteLimiter: SlidingWindowLimiter;
  fetch: HostFetchSettings;
  /** Default timeout of http-fetch (≤ 60 s). */
  httpTimeoutMs: number;
  mediaDir: string;
  clock: () => number;
}

/** The one-line refusal for a capability the sandbox does not grant. */
export function capabilityDenied(
  ctx: HostContext,
  capability: Capability,
): string {
  const what = capability === "http"
    ? "make HTTP requests"
    : capability === "credentials"
    ? "use credentials"
    : "fetch media";
  return `Capability denied: plugin "${ctx.pluginId}" may not ${what}; set ${
    sandboxSwitchKey(ctx.pluginId, capability)
  } to true to allow it`;
}

/** The one-line refusal for a value outside the plugin's permissions. */
export function permissionDenied(
  ctx: HostContext,
  what: string,
  value: string,
): string {
  const reason = ctx.permissions.denyAll
    ? "deny_all is set"
    : `it is not in the plugin's allowed ${what}`;
  return `Permission denied: plugin "${ctx.pluginId}" may not use ${
    what.replace(/s$/, "")
  } "${value}": ${reason} (plugins.permissions.overrides.${ctx.pluginId})`;
}

/** A URL for messages and logs: origin and path only (queries may hold secrets). */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`.slice(0, 200);
  } catch {
    return url.split(/[?#]/)[0]!.slice(0, 80);
  }
}
