// `cara status` against a live gateway app with the control API mounted.
// gateway/start_gateway.ts does not mount controlRoutes yet, so this test
// serves the same app the composition root will build, on 127.0.0.1:0.
import { join } from "node:path";
import type { MiddlewareHandler } from "hono";
import { ConfigEditor } from "../../gateway/config/config_editor.ts";
import { loadConfig } from "../../gateway/config/mod.ts";
import { controlRoutes } from "../../gateway/control/routes.ts";
import { createLogger } from "../../gateway/logs/logger.ts";
import { createGatewayApp } from "../../gateway/server/app.ts";
import type { GatewayEnv } from "../../gateway/server/client_address.ts";
import { remoteAddress } from "../../gateway/server/client_address.ts";
import { serveGateway } from "../../gateway/server/serve.ts";
import { ConfigReloader } from "../../gateway/start/config_reloader.ts";
import { openDatabase } from "../../gateway/state/mod.ts";
import {
  assertEquals,
  isolatedEnv,
  runCaraInProcess,
  tempDir,
} from "../_helpers.ts";

// Stands in for service auth with `gateway.auth.mode: "none"` on loopback.
const loopbackOnly: MiddlewareHandler<GatewayEnv> = async function loopback(
  c,
  next,
) {
  if (remoteAddress(c) !== "127.0.0.1") {
    return c.json({ ok: false, error: "Unauthorized" }, 401);
  }
  await next();
};

const denyAll: MiddlewareHandler<GatewayEnv> = function deny(c) {
  return Promise.resolve(c.json({ ok: false, error: "Unauthorized" }, 401));
};

async function statusJson(
  configText: string,
  auth: MiddlewareHandler<GatewayEnv>,
): Promise<Record<string, unknown>> {
  using dir = tempDir();
  const env = isolatedEnv(dir.path);
  await Deno.writeTextFile(join(dir.path, "carapace.json5"), configText);
  using state = disposableState(join(dir.path, "state.db"));
  const logger = createLogger({ level: "error" });
  using reloader = new ConfigReloader(
    await loadConfig({ env, keyring: null }),
    { env, keyring: null, log: logger.child("test"), audit: state.db.audit },
  );
  const editor = new ConfigEditor({
    env,
    keyring: null,
    reloader,
    events: { broadcast: () => {} },
  });
  const app = createGatewayApp({
    version: "1.2.3",
    commit: "test",
    logger,
    routes: controlRoutes({
      env,
      keyring: null,
      reloader,
      editor,
      auth,
      tls: false,
      version: "1.2.3",
      startedAtMs: Date.now(),
    }),
  });
  const server = await serveGateway(app, {
    hostname: "127.0.0.1",
    port: 0,
    logger,
  });
  try {
    const result = await runCaraInProcess(
      ["status", "--json", "--port", String(server.port)],
      env,
    );
    assertEquals(result.code, 0, result.stderr);
    return JSON.parse(result.stdout);
  } finally {
    await server.shutdown();
    await logger.close();
  }
}

function disposableState(path: string) {
  const db = openDatabase(path);
  return { db, [Symbol.dispose]: () => db.close() };
}

Deno.test("cara status --json includes /control/status when the control API is enabled", async () => {
  const report = await statusJson(
    `{ gateway: { control: { enabled: true } } }`,
    loopbackOnly,
  );
  const health = report.health as Record<string, unknown>;
  assertEquals(health.status, "ok");
  const control = report.controlStatus as Record<string, unknown>;
  assertEquals(control.ok, true);
  assertEquals(control.version, "1.2.3");
  assertEquals(control.totalChannels, 0);
  assertEquals((control.runtime as { name: string }).name, "carapace");
});

Deno.test("cara status --json leaves control status out when the control API is disabled", async () => {
  const report = await statusJson(`{}`, loopbackOnly);
  assertEquals(Object.keys(report), ["health"]);
});

Deno.test("cara status --json leaves control status out when service auth refuses it", async () => {
  const report = await statusJson(
    `{ gateway: { control: { enabled: true } } }`,
    denyAll,
  );
  assertEquals(Object.keys(report), ["health"]);
});
