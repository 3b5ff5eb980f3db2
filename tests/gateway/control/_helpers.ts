/**
 * Helpers private to the control API tests: a gateway app with the control
 * routes over a real config file, and a small bearer check standing in for
 * the service auth middleware the composition root passes.
 *
 * @module
 */
import { join } from "node:path";
import type { Hono, MiddlewareHandler } from "hono";
import { ConfigEditor } from "../../../gateway/config/config_editor.ts";
import { loadConfig } from "../../../gateway/config/mod.ts";
import { controlRoutes } from "../../../gateway/control/routes.ts";
import { CsrfSessionStore } from "../../../gateway/control/csrf_sessions.ts";
import { createLogger } from "../../../gateway/logs/logger.ts";
import { createGatewayApp } from "../../../gateway/server/app.ts";
import type { GatewayEnv } from "../../../gateway/server/client_address.ts";
import { ConfigReloader } from "../../../gateway/start/config_reloader.ts";
import { openDatabase } from "../../../gateway/state/mod.ts";
import { isolatedEnv, tempDir } from "../../_helpers.ts";

/** The bearer token the test auth accepts. */
export const TOKEN = "control-test-token";

/** Answers 401 unless `Authorization: Bearer <TOKEN>`. */
export function bearerAuth(): MiddlewareHandler<GatewayEnv> {
  return async function testBearer(c, next) {
    if (c.req.header("authorization") !== `Bearer ${TOKEN}`) {
      return c.json({ ok: false, error: "Unauthorized" }, 401);
    }
    await next();
  };
}

/** A control-enabled (or not) app over a temp state dir. */
export interface ControlFixture extends Disposable {
  app: Hono<GatewayEnv>;
  path: string;
  reloader: ConfigReloader;
  sessions: CsrfSessionStore;
  events: { event: string; payload: unknown }[];
  /** A request with the bearer token and `Host: gw.test`. */
  request(path: string, init?: RequestInit): Promise<Response>;
}

/** Builds the app with `text` as the config file. */
export async function controlFixture(
  text: string,
  options: { tls?: boolean; now?: () => number } = {},
): Promise<ControlFixture> {
  const dir = tempDir();
  const env = isolatedEnv(dir.path);
  const path = join(dir.path, "carapace.json5");
  await Deno.writeTextFile(path, text);
  const state = openDatabase(join(dir.path, "state.db"));
  const logger = createLogger({ level: "error" });
  const reloader = new ConfigReloader(
    await loadConfig({ env, keyring: null }),
    {
      env,
      keyring: null,
      log: logger.child("test"),
      audit: state.audit,
    },
  );
  const events: ControlFixture["events"] = [];
  const editor = new ConfigEditor({
    env,
    keyring: null,
    reloader,
    events: {
      broadcast: (event, payload) => void events.push({ event, payload }),
    },
    audit: state.audit,
  });
  const sessions = new CsrfSessionStore(
    options.now === undefined ? {} : { now: options.now },
  );
  const app = createGatewayApp({
    version: "9.9.9",
    commit: "test",
    logger,
    rateLimit: false,
    routes: controlRoutes({
      env,
      keyring: null,
      reloader,
      editor,
      auth: bearerAuth(),
      sessions,
      tls: options.tls ?? false,
      version: "9.9.9",
      startedAtMs: Date.UTC(2025, 0, 1),
      now: () => Date.UTC(2025, 0, 1, 0, 1, 5),
    }),
  });
  return {
    app,
    path,
    reloader,
    sessions,
    events,
    request: async (target, init = {}) => {
      const headers = new Headers(init.headers);
      if (!headers.has("authorization")) {
        headers.set("authorization", `Bearer ${TOKEN}`);
      }
      if (!headers.has("host")) headers.set("host", "gw.test");
      return await app.request(`http://gw.test${target}`, {
        ...init,
        headers,
      });
    },
    [Symbol.dispose]() {
      reloader[Symbol.dispose]();
      state.close();
      dir[Symbol.dispose]();
    },
  };
}
