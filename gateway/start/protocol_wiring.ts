/**
 * Wires the WebSocket protocol and the control API: the connection hub, the
 * method registry (every implemented method, each from its feature folder),
 * the connect authenticator, `/ws` and `/control/*`.
 *
 * @module
 */
import type { Hono } from "hono";
import { agentMethods } from "../agent/agent_methods.ts";
import { agentsMethods, modelsMethods } from "../agent/catalog_methods.ts";
import { type AgentRunService, createAgentRuns } from "../agent/runs.ts";
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
import { type Env, resolveMemoryDir } from "../config/paths.ts";
import { configMethods } from "../config/ws_methods.ts";
import { controlRoutes } from "../control/routes.ts";
import { hookRoutes } from "../hooks/routes.ts";
import { openaiCompatRoutes } from "../openai_compat/routes.ts";
import { sessionMethods } from "../sessions/session_methods.ts";
import { builtinTools } from "../tools/builtin_tools.ts";
import { toolsHttpRoutes } from "../tools_http/routes.ts";
import { usageMethods } from "../usage/usage_methods.ts";
import { UsageTracker } from "../usage/usage_tracker.ts";
import type { Logger } from "../logs/logger.ts";
import {
  ConnectionHub,
  MethodRegistry,
  wsLimits,
  wsRoute,
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
import type { ConfigReloader } from "./config_reloader.ts";
import { liveProviders } from "./live_providers.ts";
import type { PluginRuntime } from "../../plugins/runtime/plugin_runtime.ts";
import { pluginsMethods } from "../../plugins/ws_methods.ts";

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
  /** The running plugins: their methods, tools and webhook routes. */
  plugins: PluginRuntime;
  stateDir: string;
  /** Monotonic uptime of the gateway. */
  uptimeMs: () => number;
}

/** The wired protocol: routes to mount, the hub to stop, the editor for reloads, the runs to abort. */
export interface ProtocolWiring {
  routes(app: Hono<GatewayEnv>): void;
  hub: ConnectionHub;
  editor: ConfigEditor;
  runs: AgentRunService;
}

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
  const providers = liveProviders({
    config,
    env,
    onKeptPrevious: () =>
      logger.warn(
        "gateway.agent",
        "The reloaded config configures no LLM provider: keeping the previous providers",
      ),
  });
  const usage = new UsageTracker(state.usage, { config });
  const tools = [
    ...builtinTools({
      config: config(),
      sessions: state.sessions,
      memoryDir: resolveMemoryDir(env),
    }),
    ...options.plugins.tools(),
  ];
  const runs = createAgentRuns({
    state,
    events: hub,
    config,
    providers,
    usage,
    tools,
    logger: logger.child("gateway.agent"),
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
    .register(agentMethods({ runs, sessions: state.sessions, config }))
    .register(agentsMethods({ config }))
    .register(modelsMethods({ config, providers }))
    .register(sessionMethods({ state, config }))
    .register(usageMethods({ state, tracker: usage, config }))
    .register(pluginsMethods({
      runtime: options.plugins,
      stateDir: options.stateDir,
      env,
      config,
      keyring,
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
  const ws = wsRoute({
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
  });
  const service = serviceAuth({ config, env, limiter: auth.limiter });
  const control = controlRoutes({
    env,
    keyring,
    reloader,
    editor,
    auth: service,
    tls: options.tls,
    version: BUILD_INFO.version,
    startedAtMs: Date.now() - options.uptimeMs(),
  });
  return {
    routes(app) {
      app.get("/ws", ws);
      control(app);
      openaiCompatRoutes({ config, providers, auth: service })(app);
      toolsHttpRoutes({ config, tools: () => tools, auth: service })(app);
      hookRoutes({ config, runs })(app);
      options.plugins.webhookRoutes(app);
    },
    hub,
    editor,
    runs,
  };
}
