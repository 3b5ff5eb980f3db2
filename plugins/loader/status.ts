/**
 * The `plugins.status` result (plugins.md §6) from an activation result and
 * the supervisors' live states.
 *
 * @module
 */
import type { ActivationConfig, PluginStatus } from "./activate.ts";

/** The `plugins.status` payload. */
export interface PluginsStatusReport {
  pluginsEnabled: boolean;
  configuredPluginPathCount: number;
  restartRequiredForChanges: true;
  activationErrorCount: number;
  plugins: PluginStatus[];
}

/**
 * Builds the report; `live` overrides the state of plugins that failed or
 * recovered after start-up (by plugin id, from PluginSupervisor).
 *
 * @example
 * ```ts
 * const report = pluginsStatus(config.plugins, activation.plugins, { bootstrapErrors: 0 });
 * ```
 */
export function pluginsStatus(
  config: ActivationConfig,
  plugins: readonly PluginStatus[],
  options: {
    bootstrapErrors?: number;
    live?: ReadonlyMap<string, { failed: boolean; reason: string | null }>;
  } = {},
): PluginsStatusReport {
  const rows = plugins.map((row) => {
    const live = row.pluginId === null
      ? undefined
      : options.live?.get(row.pluginId);
    if (!live || row.state !== "active") return { ...row };
    return live.failed
      ? { ...row, state: "failed" as const, reason: live.reason }
      : { ...row };
  });
  return {
    pluginsEnabled: config.enabled !== false,
    configuredPluginPathCount: new Set(config.load?.paths ?? []).size,
    restartRequiredForChanges: true,
    activationErrorCount: (options.bootstrapErrors ?? 0) +
      rows.filter((row) => row.state === "failed").length,
    plugins: rows,
  };
}
