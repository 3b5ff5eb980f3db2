/**
 * The composition root: the one place that picks the real config loader,
 * state database, logger, HTTP app and listener and wires them together.
 *
 * @module
 */
import { join } from "node:path";
import { BUILD_INFO } from "./build_info.ts";
import {
  type EnvTarget,
  keyringFromEnv,
  loadConfig,
  type LoadedConfig,
  watchConfig,
} from "./config/mod.ts";
import {
  type Env,
  resolveDatabasePath,
  resolveStateDir,
} from "./config/paths.ts";
import { acquireDaemonLock } from "./daemon/mod.ts";
import { parseLogLevel } from "./logs/levels.ts";
import { createLogger, type Logger, type ScopedLogger } from "./logs/logger.ts";
import type { LogEntry } from "./logs/ring_buffer.ts";
import { assertBindAllowed, resolveBindHost } from "./server/bind.ts";
import { MAX_OPENAI_BODY_BYTES } from "./openai_compat/limits.ts";
import { createGatewayApp } from "./server/app.ts";
import { createGatewayMetrics } from "./server/gateway_metrics.ts";
import { serveGateway } from "./server/serve.ts";
import {
  openDatabase,
  prepareStateDir,
  type StateDatabase,
} from "./state/mod.ts";
import { authConfigured } from "./start/auth_configured.ts";
import { ConfigReloader } from "./start/config_reloader.ts";
import { DeferredCredentialStore } from "./start/deferred_credentials.ts";
import { type PluginFeature, pluginFeature } from "./start/plugin_feature.ts";
import { wireProtocol } from "./start/protocol_wiring.ts";

/** Options of {@linkcode startGateway}. */
export interface StartGatewayOptions {
  /** The process environment, read-only. */
  env: Env;
  /** Overrides `gateway.port` (the `--port` flag); 0 picks a free port. */
  port?: number;
  /** Where variables of the config's `env` section are injected (the process env). */
  envTarget?: EnvTarget;
  /** Receives every log line as it is recorded (e.g. to echo it on stderr). */
  console?: (line: string, entry: LogEntry) => void;
  /** Called after each agent run has ended (`cara start` gives freed memory back). */
  onRunEnd?: () => void;
}

/** A running gateway. */
export interface RunningGateway extends AsyncDisposable {
  readonly url: string;
  readonly hostname: string;
  readonly port: number;
  readonly stateDir: string;
  readonly logger: Logger;
  readonly state: StateDatabase;
  /** The config in force: the last one that loaded and validated. */
  config(): LoadedConfig;
  /** Reloads the config file now (SIGHUP); an invalid file keeps the current config. */
  reload(): Promise<boolean>;
  /** SHA-256 fingerprint of the TLS certificate, when TLS is on. */
  readonly tlsFingerprint: string | null;
  /** Stops accepting, drains requests, closes the database and releases the daemon lock. */
  shutdown(): Promise<void>;
  /** Resolves once the gateway has shut down. */
  readonly finished: Promise<void>;
}

/**
 * Starts the gateway: state dir, config, daemon lock, database, HTTP listener,
 * config watcher. Everything opened is closed again if a later step fails.
 *
 * @throws {CaraError} for bad config, a running daemon, a refused bind, a busy port
 * @example
 * ```ts
 * await using gateway = await startGateway({ env: Deno.env.toObject() });
 * console.log(gateway.url);
 * ```
 */
export async function startGateway(
  options: StartGatewayOptions,
): Promise<RunningGateway> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const cleanup = async () => {
    for (const step of cleanups.splice(0).reverse()) await step();
  };
  try {
    const stateDir = resolveStateDir(options.env);
    const prepared = await prepareStateDir(stateDir);
    const keyring = keyringFromEnv(options.env);
    const initial = await loadConfig({ env: options.env, keyring });
    const config = initial.config;
    const logger = createLogger({
      dir: join(stateDir, "logs"),
      level: parseLogLevel(
        options.env.CARAPACE_LOG?.trim() || config.logging.level,
      ),
      ...(options.console === undefined ? {} : { console: options.console }),
    });
    cleanups.push(() => logger.close());
    const log = logger.child("gateway");
    for (const warning of [...prepared.warnings, ...initial.warnings]) {
      log.warn(warning);
    }
    const lock = await acquireDaemonLock(stateDir);
    cleanups.push(() => lock.release());
    const state = openDatabase(resolveDatabasePath(options.env));
    cleanups.push(() => state.close());

    const reloader = new ConfigReloader(initial, {
      env: options.env,
      keyring,
      ...(options.envTarget === undefined
        ? {}
        : { envTarget: options.envTarget }),
      log,
      audit: state.audit,
    });
    cleanups.push(() => reloader[Symbol.dispose]());

    const hostname = resolveBindHost(config.gateway.bind);
    assertBindAllowed({
      host: hostname,
      authConfigured: authConfigured(config, options.env),
    });
    const tls = config.gateway.tls.enabled
      ? await (await import("./tls/resolve.ts")).resolveGatewayTls(
        config.gateway,
        options.env,
      )
      : null;
    const started = performance.now();
    const uptimeMs = () => performance.now() - started;
    const metrics = createGatewayMetrics({
      version: BUILD_INFO.version,
      commit: BUILD_INFO.commit,
    });
    const credentials = new DeferredCredentialStore(options.env);
    const plugins = await pluginFeature({
      stateDir,
      config: () => reloader.current.config,
      logger,
      credentials,
      env: options.env,
    });
    cleanups.push(() => plugins.close());
    cleanups.push(() => runLifecycleHook(plugins, "gateway_stop", {}, log));
    const protocol = wireProtocol({
      env: options.env,
      keyring,
      reloader,
      state,
      logger,
      metrics,
      tls: tls !== null,
      lookup: credentials.lookup,
      plugins,
      stateDir,
      uptimeMs,
      ...(options.onRunEnd === undefined ? {} : { onRunEnd: options.onRunEnd }),
    });
    const app = createGatewayApp({
      version: BUILD_INFO.version,
      commit: BUILD_INFO.commit,
      logger,
      metrics,
      stateDir,
      // The outer cap is the largest any route accepts (/v1/* takes 4 MiB);
      // hooks, /tools/invoke and plugin webhooks apply gateway.hooks.maxBodyBytes.
      maxBodyBytes: Math.max(
        MAX_OPENAI_BODY_BYTES,
        config.gateway.hooks.maxBodyBytes,
      ),
      tls: tls !== null,
      upgrades: protocol.upgrades,
      routes: protocol.routes,
    });
    const server = await serveGateway(app, {
      loopbackUpgrades: protocol.loopbackUpgrades,
      hostname,
      port: options.port ?? config.gateway.port,
      logger,
      ...(tls === null ? {} : { cert: tls.cert, key: tls.key }),
    });
    cleanups.push(() => server.shutdown());
    // Runs before the listener drains: clients get the `shutdown` event first.
    cleanups.push(() => protocol.hub.shutdown({ reason: "gateway stopping" }));
    cleanups.push(() => protocol.abortRuns("gateway stopping"));
    log.info("Gateway listening", {
      url: server.url,
      stateDir,
      version: BUILD_INFO.version,
    });
    await runLifecycleHook(plugins, "gateway_start", { url: server.url }, log);
    if (tls !== null) {
      log.info("TLS certificate", {
        fingerprint: tls.fingerprint,
        certPath: tls.certPath,
        generated: tls.generated,
      });
    }

    const adopt = (next: LoadedConfig) => {
      const before = reloader.current;
      reloader.adopt(next);
      protocol.editor.announce(before, reloader.current);
    };
    const reload = async () => {
      const before = reloader.current;
      const ok = await reloader.reload();
      if (ok) protocol.editor.announce(before, reloader.current);
      return ok;
    };

    const watcher = new AbortController();
    if (config.gateway.reload.mode !== "off") {
      const watching = watchConfig({
        path: initial.path,
        files: initial.files,
        loadedHash: initial.hash,
        keyring,
        env: options.env,
        debounceMs: config.gateway.reload.debounceMs,
        signal: watcher.signal,
        onReload: adopt,
        onError: (error) => reloader.reject(error),
      });
      cleanups.push(async () => {
        watcher.abort();
        await watching;
      });
    }

    let stopping: Promise<void> | undefined;
    const shutdown = () => stopping ??= cleanup();
    return {
      url: server.url,
      hostname: server.hostname,
      port: server.port,
      stateDir,
      logger,
      state,
      tlsFingerprint: tls?.fingerprint ?? null,
      config: () => reloader.current,
      reload,
      shutdown,
      get finished() {
        return server.finished.then(() => stopping);
      },
      [Symbol.asyncDispose]: shutdown,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** Runs a gateway lifecycle hook; a failing plugin is logged, never fatal. */
async function runLifecycleHook(
  plugins: PluginFeature,
  name: "gateway_start" | "gateway_stop",
  payload: Record<string, unknown>,
  log: ScopedLogger,
): Promise<void> {
  try {
    await plugins.hook(name, payload);
  } catch (error) {
    log.warn(`Plugin hook "${name}" failed`, { error });
  }
}
