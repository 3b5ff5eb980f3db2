/**
 * Wires the WebSocket protocol and the HTTP features around it: the
 * connection hub, the method registry (every implemented method, each from its
 * feature folder), the connect authenticator, `/ws`, and the feature routes.
 *
 * Only the core loads at start-up; the agent engine, the control API and the
 * plugin runtime load on first use (see lazy.ts), with their WS methods
 * declared in the registry from the start.
 *
 * @module
 */
import type { Context, Hono } from "hono";
import { createAuthServices } from "../auth/auth_services.ts";
import { createConnectAuthenticator } from "../auth/connect_authenticator.ts";
import { serviceAuth } from "../auth/http_service_auth.ts";
import {
  devicePairingMethods,
  nodePairingMethods,
} from "../auth/pairing_methods.ts";
import type { CredentialLookup } from "../auth/server_credentials.ts";
import { BUILD_INFO } from "../build_info.ts";
import { ConfigEditor } from "../config/config_editor.ts";
import type { SecretKeyring } from "../config/mod.ts";
import type { Env } from "../config/paths.ts";
import { configMethods } from "../config/ws_methods.ts";
import type { Logger } from "../logs/logger.ts";
import {
  ConnectionHub,
  MethodRegistry,
  type SessionDeps,
  wsLimits,
  wsRoute,
  type WsUpgrade,
  wsUpgrade,
} from "../protocol/mod.ts";
import type { GatewayEnv } from "../server/client_address.ts";
import type { GatewayMetrics } from "../server/gateway_metrics.ts";
import type { StateDatabase } from "../state/mod.ts";
import {
  healthPayload,
  PresenceRegistry,
  SYSTEM_EVENTS,
  systemMethods,
} from "../system/mod.ts";
import type { AgentFeature } from "./agent_feature.ts";
import {
  AGENT_FEATURE_METHODS,
  PLUGIN_FEATURE_METHODS,
} from "./feature_methods.ts";
import type { ConfigReloader } from "./config_reloader.ts";
import { lazy, lazyMethods, lazyRoutes } from "./lazy.ts";
import type { PluginFeature } from "./plugin_feature.ts";

/** What {@linkcode wireProtocol} needs from the composition root. */
export interface ProtocolWiringOptions {
  env: Env;
  keyring: SecretKeyring | null;
  reloader: ConfigReloader;
  state: StateDatabase;
  logger: Logger;
  metrics: GatewayMetrics;
  /** Whether the listener speaks TLS (cookie names, HSTS). */
  tls: boolean;
  /** Credential-store lookup for the gateway token/password (last in the chain). */
  lookup?: CredentialLookup;
  /** The plugin runtime (started, or on first use). */
  plugins: PluginFeature;
  stateDir: string;
  /** Monotonic uptime of the gateway. */
  uptimeMs: () => number;
  /** Called after each agent run has ended. */
  onRunEnd?: () => void;
}

/** The wired protocol: routes to mount, the hub to stop, the editor for reloads. */
export interface ProtocolWiring {
  /** WebSocket endpoints, mounted ahead of the HTTP middleware. */
  upgrades: Record<string, (c: Context<GatewayEnv>) => Response>;
  /** The same endpoints for loopback peers, served before the HTTP app. */
  loopbackUpgrades: Record<string, WsUpgrade>;
  routes(app: Hono<GatewayEnv>): void;
  hub: ConnectionHub;
  editor: ConfigEditor;
  /** Aborts every running agent turn (when the agent feature was loaded). */
  abortRuns(reason: string): void;
}

const NO_PLUGINS = {
  tools: () => [],
  channels: () => [],
  sendText: () => Promise.reject(new Error("no channel plugin is active")),
  sendPoll: () => Promise.reject(new Error("no channel plugin is active")),
};

/** Builds the hub, registry, authenticator and routes. */
export function wireProtocol(options: ProtocolWiringOptions): ProtocolWiring {
  const { env, keyring, reloader, state, logger } = options;
  const config = () => reloader.current.config;
  const hub = new ConnectionHub({
    limits: wsLimits(config().gateway.ws),
    metrics: {
      connectionsActive: options.metrics.wsConnectionsActive,
      broadcastDrops: options.metrics.wsBroadcastDrops,
    },
  });
  const presence = new PresenceRegistry({ events: hub });
  const auth = createAuthServices(state, { events: hub });
  const editor = new ConfigEditor({
    env,
    keyring,
    reloader,
    events: hub,
    audit: state.audit,
  });
  const service = serviceAuth({ config, env, limiter: auth.limiter });

  let agentLoaded: AgentFeature | undefined;
  const agent = lazy(async () => {
    const { buildAgentFeature } = await import("./agent_feature.ts");
    agentLoaded = await buildAgentFeature({
      env,
      config,
      state,
      events: hub,
      logger,
      auth: service,
      // No plugin at start-up: no plugin tools or channels until a restart
      // activates new ones, so the runtime need not load for the agent.
      plugins: () => Promise.resolve(options.plugins.current() ?? NO_PLUGINS),
      hooks: options.plugins.hook,
      ...(options.onRunEnd === undefined ? {} : { onRunEnd: options.onRunEnd }),
    });
    return agentLoaded;
  });

  const registry = new MethodRegistry()
    .register(systemMethods({
      version: BUILD_INFO.version,
      commit: BUILD_INFO.commit,
      logger,
      sessions: state.sessions,
      presence,
      wsStats: () => hub.stats(),
      uptimeMs: options.uptimeMs,
    }))
    .register(
      configMethods({
        env,
        keyring,
        reloader,
        events: hub,
        audit: state.audit,
        editor,
      }),
    )
    .register(devicePairingMethods(auth))
    .register(nodePairingMethods(auth))
    .register(
      lazyMethods(AGENT_FEATURE_METHODS, async () => (await agent()).methods),
    )
    .register(lazyMethods(PLUGIN_FEATURE_METHODS, async () => {
      const { pluginsMethods } = await import("../../plugins/ws_methods.ts");
      const runtime = await options.plugins.runtime();
      return pluginsMethods({
        runtime,
        stateDir: options.stateDir,
        env,
        config,
        keyring,
      });
    }))
    .advertiseEvents([
      "agent",
      "chat",
      ...SYSTEM_EVENTS,
      "config.changed",
      "device.pair.requested",
      "device.pair.resolved",
      "node.pair.requested",
      "node.pair.resolved",
    ]);
  const authenticate = createConnectAuthenticator({
    state,
    config,
    env,
    ...auth,
    ...(options.lookup === undefined ? {} : { lookup: options.lookup }),
  });
  const sessionDeps: SessionDeps = {
    hub,
    registry,
    authenticate,
    server: {
      version: env.CARAPACE_VERSION?.trim() || BUILD_INFO.version,
      commit: env.GIT_COMMIT?.trim() || BUILD_INFO.commit,
      host: env.HOSTNAME?.trim() || "unknown",
    },
    logger: logger.child("gateway.ws"),
    uptimeMs: options.uptimeMs,
    snapshot: (conn) => ({
      presence: presence.visibleTo(conn),
      health: healthPayload(hub.stats(), Date.now()),
    }),
    onConnected: (conn) => presence.connected(conn),
    onDisconnected: (conn) => presence.disconnected(conn),
  };
  const upgrade = wsUpgrade(sessionDeps);
  const ws = wsRoute(sessionDeps, upgrade);
  const startedAtMs = Date.now() - options.uptimeMs();
  const hooksPath = config().gateway.hooks.path;
  return {
    upgrades: { "/ws": ws },
    loopbackUpgrades: { "/ws": upgrade },
    routes(app) {
      // Answers 426 to a plain GET: the upgrade itself is served by `upgrades`.
      app.get("/ws", ws);
      lazyRoutes(app, ["/control", "/control/*"], async () => {
        const { controlRoutes } = await import("../control/routes.ts");
        return controlRoutes({
          env,
          keyring,
          reloader,
          editor,
          auth: service,
          tls: options.tls,
          version: BUILD_INFO.version,
          startedAtMs,
        });
      });
      lazyRoutes(
        app,
        ["/v1/*", "/tools/invoke"],
        async () => (await agent()).apiRoutes,
      );
      lazyRoutes(
        app,
        [hooksPath, `${hooksPath}/*`],
        async () => (await agent()).hookRoutes,
      );
      lazyRoutes(app, ["/plugins/*"], async () => {
        const runtime = await options.plugins.runtime();
        return (sub) => runtime.webhookRoutes(sub);
      });
    },
    hub,
    editor,
    abortRuns(reason) {
      agentLoaded?.runs.abortAll(reason);
    },
  };
}
