/**
 * `ANY /plugins/<pluginId>/*` through the real gateway app and a real
 * webhook plugin: hooks token, body cap, 404 for unclaimed paths, and a
 * looping plugin answered 502 while the gateway keeps serving.
 */
import { join } from "node:path";
import { startPluginRuntime } from "../../../plugins/runtime/plugin_runtime.ts";
import { claimsPath } from "../../../plugins/webhook_routes.ts";
import { createGatewayApp } from "../../../gateway/server/app.ts";
import { assert, assertEquals, tempDir } from "../../_helpers.ts";
import {
  fileCredentials,
  HOOKS_TOKEN,
  layOutPlugins,
  quietLogger,
  until,
  wiringConfig,
} from "./_helpers.ts";

const auth = { authorization: `Bearer ${HOOKS_TOKEN}` };

Deno.test("claimsPath() matches exact paths and /* subtrees only", () => {
  assertEquals(claimsPath(["/echo"], "/echo"), true);
  assertEquals(claimsPath(["/echo"], "/echo/x"), false);
  assertEquals(claimsPath(["/deep/*"], "/deep"), true);
  assertEquals(claimsPath(["/deep/*"], "/deep/a/b"), true);
  assertEquals(claimsPath(["/deep/*"], "/deeper"), false);
});

Deno.test("plugin webhook routes need the hooks token, cap bodies and survive a looping plugin", async () => {
  using state = tempDir();
  const dir = join(state.path, "load");
  await layOutPlugins(dir);
  const config = wiringConfig({ load: { paths: [dir] } });
  await using runtime = await startPluginRuntime({
    stateDir: state.path,
    config: () => config,
    logger: quietLogger(),
    credentials: await fileCredentials(state.path),
    env: {},
    limits: { callTimeoutMs: 1_000, restartDelayMs: 50 },
    healthIntervalMs: 0,
  });
  const app = createGatewayApp({
    version: "1",
    commit: "c",
    logger: quietLogger(),
    rateLimit: false,
    routes: (a) => runtime.webhookRoutes(a),
  });
  const call = (path: string, init: RequestInit = {}) =>
    app.request(`http://127.0.0.1${path}`, init);

  assertEquals((await call("/plugins/wiring/echo")).status, 401);
  assertEquals(
    (await call("/plugins/wiring/echo", {
      headers: { "x-carapace-token": "wrong" },
    })).status,
    401,
  );
  const echoed = await call("/plugins/wiring/echo?x=1", {
    method: "POST",
    headers: { ...auth, "x-probe": "p" },
    body: "hi",
  });
  assertEquals(echoed.status, 201);
  assertEquals(echoed.headers.get("x-plugin"), "wiring");
  assertEquals(await echoed.json(), {
    method: "POST",
    path: "/echo",
    query: "x=1",
    body: "hi",
    probe: "p",
  });
  const deep = await call("/plugins/wiring/deep/a/b", {
    method: "DELETE",
    headers: { "x-carapace-token": HOOKS_TOKEN },
  });
  assertEquals((await deep.json()).path, "/deep/a/b");
  for (const path of ["/plugins/wiring/other", "/plugins/nobody/echo"]) {
    const missing = await call(path, { headers: auth });
    assertEquals(missing.status, 404, path);
    await missing.body?.cancel();
  }
  const big = await call("/plugins/wiring/echo", {
    method: "POST",
    headers: auth,
    body: "x".repeat(5000),
  });
  assertEquals(big.status, 413);
  await big.body?.cancel();

  const looping = call("/plugins/wiring/loop", { headers: auth });
  const health = await call("/health");
  assertEquals(health.status, 200, "the gateway answers during the loop");
  await health.body?.cancel();
  const killed = await looping;
  assertEquals(killed.status, 502);
  assert((await killed.json()).error.includes("killed"));
  await until(() => runtime.status().activationErrorCount === 0);
  const again = await call("/plugins/wiring/echo", { headers: auth });
  assertEquals(again.status, 201, "the plugin serves again after its restart");
  await again.body?.cancel();
});
