/**
 * The agent engine as one lazily loaded feature: providers, tools, usage,
 * the run service, their WS methods, the OpenAI-compatible endpoints,
 * `/tools/invoke` and hooks. Built on the first request that needs it.
 *
 * @module
 */
import type { Hono, MiddlewareHandler } from "hono";
import { agentMethods } from "../agent/agent_methods.ts";
import { agentsMethods, modelsMethods } from "../agent/catalog_methods.ts";
import { type AgentRunService, createAgentRuns } from "../agent/runs.ts";
import type { RunHook, Tool } from "../agent/types.ts";
import type { CaraConfig } from "../config/mod.ts";
import { type Env, resolveMemoryDir } from "../config/paths.ts";
import { hookRoutes } from "../hooks/routes.ts";
import type { Logger } from "../logs/logger.ts";
import { openaiCompatRoutes } from "../openai_compat/routes.ts";
import type { EventSink, MethodDefinition } from "../protocol/types.ts";
import type { GatewayEnv } from "../server/client_address.ts";
import { ConnectionSessions } from "../sessions/connection_sessions.ts";
import { sessionMethods } from "../sessions/session_methods.ts";
import type { StateDatabase } from "../state/mod.ts";
import { builtinTools } from "../tools/builtin_tools.ts";
import { type ChannelSender, messageSendTool } from "../tools/message_send.ts";
import { toolsHttpRoutes } from "../tools_http/routes.ts";
import { usageMethods } from "../usage/usage_methods.ts";
import { UsageTracker } from "../usage/usage_tracker.ts";
import { liveProviders } from "./live_providers.ts";

/** What the agent feature needs from the composition root. */
export interface AgentFeatureDeps {
  env: Env;
  config: () => CaraConfig;
  state: StateDatabase;
  events: EventSink;
  logger: Logger;
  /** Service auth for `/v1/*` and `/tools/invoke`. */
  auth: MiddlewareHandler<GatewayEnv>;
  /** The plugin runtime: its tools, and its channels for `message_send`. */
  plugins: () => Promise<{ tools(): readonly Tool[] } & ChannelSender>;
  /** Plugin lifecycle hooks. */
  hooks?: RunHook;
  /** Called after each agent run has ended. */
  onRunEnd?: () => void;
}

/** The built feature. */
export interface AgentFeature {
  runs: AgentRunService;
  methods: MethodDefinition[];
  /** `/v1/*` (OpenAI-compatible), `/tools/invoke`. */
  apiRoutes(app: Hono<GatewayEnv>): void;
  /** `{gateway.hooks.path}/*`. */
  hookRoutes(app: Hono<GatewayEnv>): void;
}

/** Builds the agent feature. */
export async function buildAgentFeature(
  deps: AgentFeatureDeps,
): Promise<AgentFeature> {
  const { env, config, state, logger } = deps;
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
  const plugins = await deps.plugins();
  const tools = [
    ...builtinTools({
      config: config(),
      currentConfig: config,
      sessions: state.sessions,
      memoryDir: resolveMemoryDir(env),
    }),
    ...plugins.tools(),
    ...(plugins.channels().length > 0
      ? [messageSendTool(plugins, deps.hooks)]
      : []),
  ];
  const runs = createAgentRuns({
    state,
    events: deps.events,
    config,
    providers,
    usage,
    tools,
    logger: logger.child("gateway.agent"),
    ...(deps.hooks === undefined ? {} : { hooks: deps.hooks }),
    ...(deps.onRunEnd === undefined ? {} : { onRunEnd: deps.onRunEnd }),
  });
  const defaultSessions = new ConnectionSessions();
  return {
    runs,
    methods: [
      ...agentMethods({
        runs,
        sessions: state.sessions,
        config,
        defaultSessions,
      }),
      ...agentsMethods({ config }),
      ...modelsMethods({ config, providers }),
      ...sessionMethods({ state, config, defaults: defaultSessions }),
      ...usageMethods({ state, tracker: usage, config }),
    ],
    apiRoutes(app) {
      openaiCompatRoutes({ config, providers, auth: deps.auth })(app);
      toolsHttpRoutes({ config, tools: () => tools, auth: deps.auth })(app);
    },
    hookRoutes(app) {
      hookRoutes({ config, runs })(app);
    },
  };
}
