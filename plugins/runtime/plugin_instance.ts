/**
 * One active plugin at run time: its supervised sandbox plus what its
 * exports declare (tools, webhook paths, hooks, channel id), service
 * start/stop/health, and its live failure reason for `plugins.status`.
 * A failing plugin is recorded here and never throws into the gateway.
 *
 * @module
 */
import type { Tool } from "../../gateway/agent/types.ts";
import { CaraError } from "../../gateway/errors.ts";
import type { ScopedLogger } from "../../gateway/logs/logger.ts";
import type { HostFunctions } from "../host/types.ts";
import type { ActivePlugin } from "../loader/activate.ts";
import {
  PluginSupervisor,
  type SupervisorOptions,
} from "../sandbox/supervisor.ts";
import { parseToolDefinitions, pluginTools } from "../tool_adapter.ts";

/** Sandbox knobs (tests shorten them); defaults are the supervisor's. */
export type InstanceLimits = Pick<
  SupervisorOptions,
  "callTimeoutMs" | "restartDelayMs" | "maxRestartDelayMs" | "heapMiB"
>;

/** A running plugin and what it serves. */
export interface PluginInstance {
  readonly pluginId: string;
  readonly exports: readonly string[];
  readonly supervisor: PluginSupervisor;
  readonly tools: Tool[];
  readonly webhookPaths: string[];
  readonly hooks: string[];
  /** `channel-meta.get-info` id, when the plugin is a channel. */
  readonly channelId: string | null;
  /** Why the plugin is not serving now, or null. */
  failure(): string | null;
  /** Polls `service.health` (service plugins only). */
  checkHealth(): Promise<void>;
  /** `service.stop` (≤ 5 s), then the sandbox ends. */
  close(): Promise<void>;
}

function reasonOf(what: string, error: unknown): string {
  const why = error instanceof CaraError ? error.message : "it failed";
  return `${what} failed: ${why}`.slice(0, 500);
}

function pluginErrorText(value: unknown): string {
  const e = (value ?? {}) as Record<string, unknown>;
  return `${String(e.code ?? "error")}: ${String(e.message ?? "")}`;
}

/**
 * Starts `active` in its sandbox and asks it what it serves.
 *
 * @example
 * ```ts
 * const instance = await startPluginInstance(active, host, { log, limits: {} });
 * ```
 */
export async function startPluginInstance(
  active: ActivePlugin,
  host: HostFunctions,
  options: { log: ScopedLogger; limits: InstanceLimits },
): Promise<PluginInstance> {
  const { pluginId, exports } = active.artifact;
  const log = options.log;
  const has = (iface: string) => exports.includes(iface);
  let problem: string | null = null;
  let unhealthy: string | null = null;
  let ready = false;
  const startService = async () => {
    try {
      const outcome = await supervisor.call("service", "start", []);
      problem = outcome.ok
        ? null
        : `service.start failed: ${pluginErrorText(outcome.pluginError)}`;
    } catch (error) {
      problem = reasonOf("service.start", error);
    }
    if (problem) {
      log.warn("Plugin service did not start", { pluginId, problem });
    }
  };
  const supervisor = new PluginSupervisor(active.artifact.plugin, host, {
    trust: active.trust,
    ...options.limits,
    onState: (state, reason) => {
      if (state === "failed") {
        log.warn("Plugin failed", { pluginId, reason });
      }
      // After a crash the supervisor restarts the sandbox: start the service again.
      if (state === "active" && ready) {
        log.info("Plugin restarted", { pluginId });
        if (has("service")) queueMicrotask(() => void startService());
      }
    },
  });
  await supervisor.start();
  const ask = async (iface: string, fn: string): Promise<unknown> => {
    // The glue keys exports by camelCase interface name (`channelMeta`).
    const key = iface.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const outcome = await supervisor.call(key, fn, []);
    if (!outcome.ok) {
      throw new CaraError("plugin_error", pluginErrorText(outcome.pluginError));
    }
    return outcome.value;
  };
  const discover = async <T>(
    iface: string,
    fn: string,
    parse: (value: unknown) => T,
    empty: T,
  ): Promise<T> => {
    if (!has(iface) || supervisor.state !== "active") return empty;
    try {
      return parse(await ask(iface, fn));
    } catch (error) {
      problem ??= reasonOf(`${iface}.${fn}`, error);
      return empty;
    }
  };
  const strings = (value: unknown) =>
    Array.isArray(value) ? value.map(String) : [];
  const definitions = await discover(
    "tool",
    "get-definitions",
    (value) => parseToolDefinitions(pluginId, value),
    [],
  );
  const webhookPaths = await discover("webhook", "get-paths", strings, []);
  const hooks = await discover("hooks", "get-hooks", strings, []);
  const channelId = await discover("channel-meta", "get-info", (value) => {
    const id = (value as { id?: unknown } | null)?.id;
    return typeof id === "string" && id !== "" ? id : pluginId;
  }, null);
  if (has("service") && supervisor.state === "active") await startService();
  ready = true;
  return {
    pluginId,
    exports,
    supervisor,
    tools: pluginTools(pluginId, supervisor, definitions),
    webhookPaths,
    hooks,
    channelId,
    failure() {
      if (supervisor.state === "failed" || supervisor.state === "starting") {
        return supervisor.reason ?? "the plugin is restarting";
      }
      if (supervisor.state === "stopped") return "the plugin was stopped";
      return problem ?? unhealthy;
    },
    async checkHealth() {
      if (!has("service") || supervisor.state !== "active") return;
      try {
        const outcome = await supervisor.call("service", "health", []);
        unhealthy = outcome.ok && outcome.value === true
          ? null
          : "service.health reported the service unhealthy";
      } catch (error) {
        unhealthy = reasonOf("service.health", error);
      }
    },
    async close() {
      if (has("service") && supervisor.state === "active" && !problem) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([
          supervisor.call("service", "stop", []).catch(() => {}),
          new Promise((resolve) => timer = setTimeout(resolve, 5_000)),
        ]);
        clearTimeout(timer);
      }
      supervisor.close();
    },
  };
}
