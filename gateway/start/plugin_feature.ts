/**
 * The plugin runtime as a feature: started with the gateway when any plugin
 * is installed or configured (services must run), otherwise loaded on the
 * first request that needs it (`plugins.*`, a plugin webhook, agent tools).
 *
 * @module
 */
import { join } from "node:path";
import type { CaraConfig } from "../config/mod.ts";
import type { Env } from "../config/paths.ts";
import type { CredentialStore } from "../credentials/store.ts";
import type { RunHook } from "../agent/types.ts";
import type { Logger } from "../logs/logger.ts";
import type { PluginRuntime } from "../../plugins/runtime/plugin_runtime.ts";
import { lazy } from "./lazy.ts";

/** What the plugin feature needs from the composition root. */
export interface PluginFeatureDeps {
  stateDir: string;
  config: () => CaraConfig;
  logger: Logger;
  credentials: CredentialStore;
  env: Env;
}

/** The plugin runtime, started now or on first use. */
export interface PluginFeature {
  runtime(): Promise<PluginRuntime>;
  /** The runtime when it runs (plugins existed at start-up or one was asked for), else `undefined`. */
  current(): PluginRuntime | undefined;
  /**
   * Runs a lifecycle hook on the plugins that handle it; with no plugin
   * runtime started (none installed) the payload passes unchanged.
   */
  hook: RunHook;
  /** Stops the runtime if it was started. */
  close(): Promise<void>;
}

/** Whether the config or the managed plugin dir names any plugin. */
export async function anyPlugins(
  stateDir: string,
  config: CaraConfig,
): Promise<boolean> {
  if (config.plugins.enabled === false) return false;
  if ((config.plugins.load?.paths ?? []).length > 0) return true;
  try {
    for await (const entry of Deno.readDir(join(stateDir, "plugins"))) {
      if (entry.name.endsWith(".wasm")) return true;
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return false;
}

/** Starts the plugin runtime now when there are plugins, else prepares it for first use. */
export async function pluginFeature(
  deps: PluginFeatureDeps,
): Promise<PluginFeature> {
  let started: PluginRuntime | undefined;
  const runtime = lazy(async () => {
    const { startPluginRuntime } = await import(
      "../../plugins/runtime/plugin_runtime.ts"
    );
    started = await startPluginRuntime(deps);
    return started;
  });
  if (await anyPlugins(deps.stateDir, deps.config())) await runtime();
  return {
    runtime,
    current: () => started,
    async hook(name, payload) {
      if (started === undefined) return { payload, cancelled: false };
      const outcome = await started.runHook(name, payload);
      return { payload: outcome.payload, cancelled: outcome.cancelled };
    },
    async close() {
      await started?.close();
    },
  };
}
