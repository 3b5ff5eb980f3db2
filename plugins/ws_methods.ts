/**
 * The `plugins.*` WebSocket methods (protocol.md §7, plugins.md §5–§6):
 * `plugins.status` and `plugins.bins` (operator.read), `plugins.install`
 * and `plugins.update` (operator.admin) over installManagedPlugin, which
 * records `plugins.entries.<name>` in the config file. Activation needs a
 * restart; the result says so.
 *
 * @module
 */
import type { CaraConfig, SecretKeyring } from "../gateway/config/mod.ts";
import { setConfigValue } from "../gateway/config/mod.ts";
import type { Env } from "../gateway/config/paths.ts";
import { CaraError } from "../gateway/errors.ts";
import { ProtocolError } from "../gateway/protocol/errors.ts";
import type { MethodDefinition } from "../gateway/protocol/types.ts";
import {
  type InstallDeps,
  installManagedPlugin,
  type InstallParams,
} from "./install/install_plugin.ts";
import type { PluginsStatusReport } from "./loader/status.ts";
import type { PluginBins } from "./runtime/managed_bins.ts";

/** Collaborators of {@linkcode pluginsMethods}. */
export interface PluginsMethodsDeps {
  /** The running plugin runtime (or anything answering the same two reads). */
  runtime: { status(): PluginsStatusReport; bins(): Promise<PluginBins> };
  stateDir: string;
  env: Env;
  config: () => CaraConfig;
  /** Seals secrets on config writes; default from `CARAPACE_CONFIG_PASSWORD`. */
  keyring?: SecretKeyring | null;
  /** SSRF settings of downloads (tests trust a loopback peer). */
  fetch?: InstallDeps["fetch"];
}

const FIELDS = ["name", "url", "version", "publisherKey", "signature"];

function installParams(method: string, params: unknown): InstallParams {
  const invalid = (why: string) =>
    new ProtocolError("invalid_request", `${method} failed: ${why}`);
  if (typeof params !== "object" || params === null || Array.isArray(params)) {
    throw invalid("params must be an object with a name");
  }
  const record = params as Record<string, unknown>;
  const unknown = Object.keys(record).find((k) => !FIELDS.includes(k));
  if (unknown !== undefined) {
    throw invalid(`unknown field "${unknown}"; use ${FIELDS.join(", ")}`);
  }
  const out: Record<string, string> = {};
  for (const field of FIELDS) {
    const value = record[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== "string") throw invalid(`"${field}" must be a string`);
    if (value.trim() !== "") out[field] = value.trim();
  }
  if (out.name === undefined) throw invalid(`"name" is required`);
  return out as unknown as InstallParams;
}

/**
 * The four `plugins.*` method records.
 *
 * @example
 * ```ts
 * registry.register(pluginsMethods({ runtime, stateDir, env, config }));
 * ```
 */
export function pluginsMethods(deps: PluginsMethodsDeps): MethodDefinition[] {
  const install =
    (mode: "install" | "update") =>
    async ({ params, signal }: { params: unknown; signal: AbortSignal }) => {
      const method = `plugins.${mode}`;
      const request = installParams(method, params);
      try {
        return await installManagedPlugin(mode, request, {
          stateDir: deps.stateDir,
          signature: deps.config().plugins.signature,
          signal,
          ...(deps.fetch ? { fetch: deps.fetch } : {}),
          setConfigEntry: async (name, entry) => {
            await setConfigValue({
              env: deps.env,
              key: `plugins.entries.${name}`,
              value: entry,
              ...(deps.keyring === undefined ? {} : { keyring: deps.keyring }),
            });
          },
        });
      } catch (error) {
        if (error instanceof CaraError) {
          throw new ProtocolError("invalid_request", error.message, {
            details: { code: error.code },
          });
        }
        throw error;
      }
    };
  return [
    {
      name: "plugins.status",
      scope: "operator.read",
      handler: () => deps.runtime.status(),
    },
    {
      name: "plugins.bins",
      scope: "operator.read",
      handler: () => deps.runtime.bins(),
    },
    {
      name: "plugins.install",
      scope: "operator.admin",
      handler: install("install"),
    },
    {
      name: "plugins.update",
      scope: "operator.admin",
      handler: install("update"),
    },
  ];
}
