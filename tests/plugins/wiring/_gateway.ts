/**
 * A test-only composition: the real gateway parts (config loader, SQLite
 * state, connect authenticator, hub, `/ws`, app, listener on 127.0.0.1:0)
 * plus the plugin runtime, its `plugins.*` methods and webhook routes — the
 * wiring the lead adds to gateway/start_gateway.ts for production.
 *
 * @module
 */
import { createAuthServices } from "../../../gateway/auth/auth_services.ts";
import { createConnectAuthenticator } from "../../../gateway/auth/connect_authenticator.ts";
import { loadConfig } from "../../../gateway/config/mod.ts";
import {
  type Env,
  resolveDatabasePath,
  resolveStateDir,
} from "../../../gateway/config/paths.ts";
import { openCredentialStore } from "../../../gateway/credentials/open_store.ts";
import { createLogger } from "../../../gateway/logs/logger.ts";
import {
  ConnectionHub,
  MethodRegistry,
  wsLimits,
  wsRoute,
} from "../../../gateway/protocol/mod.ts";
import { createGatewayApp } from "../../../gateway/server/app.ts";
import { serveGateway } from "../../../gateway/server/serve.ts";
import { openDatabase, prepareStateDir } from "../../../gateway/state/mod.ts";
import {
  type PluginRuntime,
  startPluginRuntime,
} from "../../../plugins/runtime/plugin_runtime.ts";
import { pluginsMethods } from "../../../plugins/ws_methods.ts";

/** A running test gateway with the plugin runtime wired in. */
export interface PluginsGateway extends AsyncDisposable {
  port: number;
  runtime: PluginRuntime;
}

/** Starts the composition for `env` (its config file must exist). */
export async function startPluginsGateway(env: Env): Promise<PluginsGateway> {
  const stateDir = resolveStateDir(env);
  await prepareStateDir(stateDir);
  const loaded = await loadConfig({ env });
  const config = () => loaded.config;
  const logger = createLogger({ level: "info" });
  const state = openDatabase(resolveDatabasePath(env));
  const runtime = await startPluginRuntime({
    stateDir,
    config,
    logger,
    credentials: await openCredentialStore(env),
    env,
    limits: { callTimeoutMs: 2_000, restartDelayMs: 60_000 },
    healthIntervalMs: 0,
  });
  const hub = new ConnectionHub({ limits: wsLimits(config().gateway.ws) });
  const registry = new MethodRegistry().register(
    pluginsMethods({ runtime, stateDir, env, config }),
  );
  const auth = createAuthServices(state, { events: hub });
  const ws = wsRoute({
    hub,
    registry,
    authenticate: createConnectAuthenticator({ state, config, env, ...auth }),
    server: { version: "test", commit: "test", host: "test" },
    logger: logger.child("gateway.ws"),
    uptimeMs: () => 0,
  });
  const app = createGatewayApp({
    version: "test",
    commit: "test",
    logger,
    rateLimit: false,
    routes: (a) => {
      a.get("/ws", ws);
      runtime.webhookRoutes(a);
    },
  });
  const server = await serveGateway(app, {
    hostname: "127.0.0.1",
    port: 0,
    logger,
    drainTimeoutMs: 500,
  });
  return {
    port: server.port,
    runtime,
    async [Symbol.asyncDispose]() {
      hub.shutdown({ reason: "test done" });
      await server.shutdown();
      await runtime.close();
      state.close();
      await logger.close();
    },
  };
}
