/**
 * The plugin runtime of a running gateway: activates plugins at start-up
 * (plugins/loader), runs each active one in its sandbox with its own host
 * functions (plugins/host), and exposes what they serve — agent tools,
 * webhook routes, hooks, channel delivery — plus the `plugins.status`
 * report with live failures. A plugin that crashes, loops or misbehaves is
 * marked failed and restarted by its supervisor; the gateway keeps serving.
 *
 * @module
 */
import type { Hono } from "hono";
import type { Tool } from "../../gateway/agent/types.ts";
import type { CaraConfig } from "../../gateway/config/mod.ts";
import type { Env } from "../../gateway/config/paths.ts";
import type { CredentialStore as GatewayCredentialStore } from "../../gateway/credentials/store.ts";
import { CaraError } from "../../gateway/errors.ts";
import type { Logger } from "../../gateway/logs/logger.ts";
import type { GatewayEnv } from "../../gateway/server/client_address.ts";
import type { HostFetchSettings } from "../host/host_context.ts";
import { createHostFunctions } from "../host/host_functions.ts";
import type { DeclaredPermissions } from "../policy/permissions.ts";
import { activatePlugins, type ActivationConfig } from "../loader/activate.ts";
import { pluginsStatus, type PluginsStatusReport } from "../loader/status.ts";
import { pluginWebhookRoutes } from "../webhook_routes.ts";
import { dispatchHook, type HookRunResult } from "./hook_dispatch.ts";
import { listManagedBins, type PluginBins } from "./managed_bins.ts";
import { pluginCredentialStore } from "./plugin_credentials.ts";
import {
  type InstanceLimits,
  type PluginInstance,
  startPluginInstance,
} from "./plugin_instance.ts";

/** What the composition root hands to {@linkcode startPluginRuntime}. */
export interface PluginRuntimeDeps {
  stateDir: string;
  /** The config in force (plugin settings are read live by `config-get`). */
  config: () => CaraConfig;
  logger: Logger;
  /** The gateway credential store; plugin keys are indexed on top of it. */
  credentials: GatewayCredentialStore;
  env: Env;
  /** Sandbox limits (tests shorten them; defaults per plugins.md §8). */
  limits?: InstanceLimits;
  /** `service.health` poll interval; default 30 000 ms, 0 = never. */
  healthIntervalMs?: number;
  /** Resolver / trusted addresses / CA roots of host fetches (tests). */
  fetch?: HostFetchSettings;
}

/** WIT `outbound-context`. */
export interface OutboundContext {
  to: string;
  text: string;
  mediaUrl?: string;
  gifPlayback?: boolean;
  replyToId?: string;
  threadId?: string;
  accountId?: string;
}

/** WIT `poll-context`: a poll of 2–12 options (each ≤ 100 characters). */
export interface PollContext {
  to: string;
  poll: { question: string; options: string[]; allowMultiple: boolean };
  accountId?: string;
}

/** WIT `delivery-result`. */
export interface DeliveryResult {
  ok: boolean;
  messageId?: string | undefined;
  error?: string | undefined;
  retryable: boolean;
}

/** The running plugin runtime. */
export interface PluginRuntime extends AsyncDisposable {
  /** The `plugins.status` report (plugins.md §6) with live failures. */
  status(): PluginsStatusReport;
  /** The `plugins.bins` payload. */
  bins(): Promise<PluginBins>;
  /** Tools of tool plugins, named `<pluginId>_<tool>`. */
  tools(): Tool[];
  /** Mounts `ANY /plugins/<pluginId>/*`. */
  webhookRoutes(app: Hono<GatewayEnv>): void;
  /** Runs hook `name` through the plugins that declared it. */
  runHook(name: string, payload: unknown): Promise<HookRunResult>;
  /** Channel ids served by channel plugins, with their plugin ids. */
  channels(): { channelId: string; pluginId: string }[];
  /** Sends text through the channel plugin serving `channelId`. */
  sendText(
    channelId: string,
    message: OutboundContext,
  ): Promise<DeliveryResult>;
  /** Sends a poll through the channel plugin serving `channelId`. */
  sendPoll(channelId: string, poll: PollContext): Promise<DeliveryResult>;
  /** Stops services and ends every sandbox. */
  close(): Promise<void>;
}

const MAX_TEXT = 64 * 1024;

/**
 * Activates and starts the plugins of `deps.config().plugins`.
 *
 * @example
 * ```ts
 * const plugins = await startPluginRuntime({ stateDir, config, logger, credentials, env });
 * registry.register(pluginsMethods({ runtime: plugins, stateDir, env, config }));
 * plugins.webhookRoutes(app);
 * ```
 */
export async function startPluginRuntime(
  deps: PluginRuntimeDeps,
): Promise<PluginRuntime> {
  const log = deps.logger.child("plugins");
  // The schema's output writes absent optionals as `undefined`, which the
  // loader's exact optional types do not spell; the shapes are the same.
  const settings = deps.config().plugins as
    & ActivationConfig
    & CaraConfig["plugins"];
  const activation = await activatePlugins(deps.stateDir, settings);
  for (const warning of activation.warnings) log.warn(warning);
  const credentials = pluginCredentialStore(deps.credentials, deps.stateDir);
  const started = await Promise.all(activation.active.map(async (active) => {
    const pluginId = active.artifact.pluginId;
    const host = createHostFunctions(
      pluginId,
      {
        logger: deps.logger,
        pluginConfig: () =>
          deps.config().plugins[pluginId] as
            | Record<string, unknown>
            | undefined,
        credentials,
        sandbox: settings.sandbox,
        permissions: settings.permissions,
        declaredPermissions: active.artifact.manifest.permissions as
          | DeclaredPermissions
          | undefined,
        stateDir: deps.stateDir,
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
      } as Parameters<typeof createHostFunctions>[1],
    );
    return await startPluginInstance(active, host, {
      log,
      limits: deps.limits ?? {},
    });
  }));
  const instances = new Map<string, PluginInstance>(
    started.map((instance) => [instance.pluginId, instance]),
  );
  log.info("Plugins started", {
    active: [...instances.keys()],
    failed: activation.plugins.filter((p) => p.state === "failed").length,
  });
  const interval = deps.healthIntervalMs ?? 30_000;
  const health = interval > 0
    ? setInterval(() => {
      for (const instance of instances.values()) void instance.checkHealth();
    }, interval)
    : undefined;
  if (health !== undefined) Deno.unrefTimer(health);
  let closing: Promise<void> | undefined;
  const close = () =>
    closing ??= (async () => {
      clearInterval(health);
      await Promise.all([...instances.values()].map((i) => i.close()));
    })();
  const channelOf = (channelId: string) =>
    started.find((i) => i.channelId === channelId);
  async function deliver(
    channelId: string,
    fn: "send-text" | "send-poll",
    argument: unknown,
  ): Promise<DeliveryResult> {
    const instance = channelOf(channelId);
    if (!instance) {
      throw new CaraError(
        "channel_not_found",
        `Cannot send to channel "${channelId}": no active channel plugin serves it`,
      );
    }
    const outcome = await instance.supervisor.call("channelAdapter", fn, [
      argument,
    ]);
    if (!outcome.ok) {
      const e = (outcome.pluginError ?? {}) as Record<string, unknown>;
      return {
        ok: false,
        error: `${String(e.code ?? "error")}: ${String(e.message ?? "")}`,
        retryable: e.retryable === true,
      };
    }
    return outcome.value as DeliveryResult;
  }
  return {
    status() {
      const live = new Map(started.map((instance) => {
        const reason = instance.failure();
        return [instance.pluginId, { failed: reason !== null, reason }];
      }));
      return pluginsStatus(settings, activation.plugins, { live });
    },
    bins: () => listManagedBins(deps.stateDir),
    tools: () => started.flatMap((instance) => instance.tools),
    webhookRoutes: pluginWebhookRoutes({
      config: deps.config,
      target(pluginId) {
        const instance = instances.get(pluginId);
        return instance && instance.webhookPaths.length > 0
          ? { paths: instance.webhookPaths, plugin: instance.supervisor }
          : undefined;
      },
    }),
    runHook: (name, payload) =>
      dispatchHook(name, payload, {
        log,
        handlers: started.map((i) => ({
          pluginId: i.pluginId,
          hooks: i.hooks,
          plugin: i.supervisor,
        })),
      }),
    channels: () =>
      started.flatMap((i) =>
        i.channelId === null
          ? []
          : [{ channelId: i.channelId, pluginId: i.pluginId }]
      ),
    async sendText(channelId, message) {
      if (message.text.length > MAX_TEXT) {
        throw new CaraError(
          "message_too_large",
          `Cannot send to channel "${channelId}": the text is longer than ${MAX_TEXT} characters`,
        );
      }
      return await deliver(channelId, "send-text", {
        gifPlayback: false,
        ...message,
      });
    },
    async sendPoll(channelId, context) {
      const { question, options } = context.poll;
      if (
        question.length > 300 || options.length < 2 || options.length > 12 ||
        options.some((option) => option.length > 100)
      ) {
        throw new CaraError(
          "invalid_poll",
          `Cannot send a poll to channel "${channelId}": expected a question of at most 300 characters and 2–12 options of at most 100 characters each`,
        );
      }
      return await deliver(channelId, "send-poll", context);
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
