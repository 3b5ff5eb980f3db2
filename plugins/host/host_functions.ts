/**
 * `createHostFunctions(pluginId, deps)`: the `carapace:plugin/host@1.0.0`
 * implementation for one plugin, with every policy and limit of plugins.md
 * §7–§9 inside. The sandbox forwards the component's calls here verbatim.
 *
 * @module
 */
import { join } from "node:path";
import { DEFAULT_TIMEOUT_MS } from "../../gateway/net/guarded_fetch.ts";
import {
  type DeclaredPermissions,
  type PermissionsConfig,
  resolvePermissions,
} from "../policy/permissions.ts";
import {
  resolveSandbox,
  type SandboxConfig,
} from "../policy/sandbox_policy.ts";
import {
  createCredentialFunctions,
  MAX_CREDENTIAL_WRITES_PER_MINUTE,
} from "./host_credentials.ts";
import type {
  HostContext,
  HostFetchSettings,
  HostLogger,
} from "./host_context.ts";
import { createHttpFetch, MAX_HOST_TIMEOUT_MS } from "./host_http.ts";
import { createLogFunctions } from "./host_log.ts";
import { createMediaFetch } from "./host_media.ts";
import { SlidingWindowLimiter } from "./sliding_window.ts";
import type { CredentialStore, HostFunctions } from "./types.ts";

/** What the gateway hands to {@linkcode createHostFunctions}. */
export interface HostDeps {
  /** The gateway logger; plugin entries use the target `plugins.<id>`. */
  logger: HostLogger;
  /** The current `plugins.<pluginId>` config object (called on every read). */
  pluginConfig: () => Readonly<Record<string, unknown>> | undefined;
  credentials: CredentialStore;
  /** `plugins.sandbox` (snake_case, as in config). */
  sandbox?: SandboxConfig;
  /** `plugins.permissions` (snake_case, as in config). */
  permissions?: PermissionsConfig;
  /** The `permissions` of the plugin's manifest. */
  declaredPermissions?: DeclaredPermissions;
  /** The state dir; media files go to `<stateDir>/plugins/.media/<id>/`. */
  stateDir: string;
  /** http-fetch timeout in ms (default 30 000, at most 60 000). */
  httpTimeoutMs?: number;
  /** Resolver / trusted addresses / extra CA roots for outbound fetches. */
  fetch?: HostFetchSettings;
  /** Epoch ms clock for the rate limits (default `Date.now`). */
  clock?: () => number;
}

/**
 * Builds the host functions of `pluginId`. Policy is resolved once here (the
 * gateway restarts plugins on config changes); config reads stay live.
 *
 * @example
 * ```ts
 * const host = createHostFunctions("weather", {
 *   logger, credentials, stateDir,
 *   pluginConfig: () => config.plugins.weather,
 *   sandbox: config.plugins.sandbox,
 *   permissions: config.plugins.permissions,
 * });
 * host.logInfo("started");
 * ```
 */
export function createHostFunctions(
  pluginId: string,
  deps: HostDeps,
): HostFunctions {
  if (!/^[a-z0-9-]{1,32}$/.test(pluginId)) {
    throw new RangeError(
      `Cannot create host functions for plugin "${pluginId}": ids are 1 to 32 characters of a-z, 0-9 and "-"`,
    );
  }
  const clock = deps.clock ?? Date.now;
  const grant = resolveSandbox(pluginId, deps.sandbox);
  const permissions = resolvePermissions(
    pluginId,
    deps.permissions,
    deps.declaredPermissions,
  );
  const ctx: HostContext = {
    pluginId,
    target: `plugins.${pluginId}`,
    logger: deps.logger,
    credentials: deps.credentials,
    grant,
    permissions,
    httpLimiter: new SlidingWindowLimiter(
      permissions.httpRequestsPerMinute,
      60_000,
      clock,
    ),
    credentialWriteLimiter: new SlidingWindowLimiter(
      MAX_CREDENTIAL_WRITES_PER_MINUTE,
      60_000,
      clock,
    ),
    fetch: deps.fetch ?? {},
    httpTimeoutMs: Math.min(
      deps.httpTimeoutMs ?? DEFAULT_TIMEOUT_MS,
      MAX_HOST_TIMEOUT_MS,
    ),
    mediaDir: join(deps.stateDir, "plugins", ".media", pluginId),
    clock,
  };
  const log = createLogFunctions(ctx);
  const credentials = createCredentialFunctions(ctx);
  return {
    logDebug: log.debug,
    logInfo: log.info,
    logWarn: log.warn,
    logError: log.error,
    configGet: (key) => configValue(deps.pluginConfig(), String(key)),
    credentialGet: credentials.get,
    credentialSet: credentials.set,
    httpFetch: createHttpFetch(ctx),
    mediaFetch: createMediaFetch(ctx),
  };
}

/** `plugins.<id>.<key>`, exact key; non-strings as JSON text. */
function configValue(
  section: Readonly<Record<string, unknown>> | undefined,
  key: string,
): string | undefined {
  if (!section || !Object.hasOwn(section, key)) return undefined;
  const value = section[key];
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}
