import { buildAgentFeature } from "../../../gateway/start/agent_feature.ts";
import {
  AGENT_FEATURE_METHODS,
  PLUGIN_FEATURE_METHODS,
} from "../../../gateway/start/feature_methods.ts";
import { lazy, lazyMethods } from "../../../gateway/start/lazy.ts";
import { anyPlugins } from "../../../gateway/start/plugin_feature.ts";
import { validateConfig } from "../../../gateway/config/mod.ts";
import { createLogger } from "../../../gateway/logs/logger.ts";
import { openDatabase } from "../../../gateway/state/mod.ts";
import { pluginsMethods } from "../../../plugins/ws_methods.ts";
import {
  assertEquals,
  assertRejects,
  isolatedEnv,
  tempDir,
} from "../../_helpers.ts";

const pairs = (defs: readonly { name: string; scope: string }[]) =>
  defs.map((d) => `${d.name} ${d.scope}`).sort();

Deno.test("AGENT_FEATURE_METHODS declares exactly the agent feature's methods and scopes", async () => {
  using dir = tempDir();
  using state = openDatabase(`${dir.path}/state.db`);
  const logger = createLogger({ level: "error" });
  const config = validateConfig({}, { file: "x" }).config;
  const feature = await buildAgentFeature({
    env: isolatedEnv(dir.path),
    config: () => config,
    state,
    events: { broadcast() {} },
    logger,
    auth: async (_c, next) => await next(),
    plugins: () =>
      Promise.resolve({
        tools: () => [],
        channels: () => [],
        sendText: () => Promise.reject(new Error("no channels")),
        sendPoll: () => Promise.reject(new Error("no channels")),
      }),
  });
  assertEquals(pairs(AGENT_FEATURE_METHODS), pairs(feature.methods));
  await logger.close();
});

Deno.test("PLUGIN_FEATURE_METHODS declares exactly the plugins.* methods and scopes", () => {
  const defs = pluginsMethods({
    runtime: {} as never,
    stateDir: "/nonexistent",
    env: {},
    config: () => validateConfig({}, { file: "x" }).config,
  });
  assertEquals(pairs(PLUGIN_FEATURE_METHODS), pairs(defs));
});

Deno.test("lazyMethods() loads the implementation once, on the first call", async () => {
  let loads = 0;
  const [method] = lazyMethods(
    [{ name: "x.get", scope: "operator.read" }],
    () => {
      loads++;
      return Promise.resolve([{
        name: "x.get",
        scope: "operator.read",
        handler: () => "value",
      }]);
    },
  );
  assertEquals(loads, 0);
  const context = {} as Parameters<NonNullable<typeof method>["handler"]>[0];
  assertEquals(await method!.handler(context), "value");
  assertEquals(await method!.handler(context), "value");
  assertEquals(loads, 1);
});

Deno.test("lazy() retries a build that failed", async () => {
  let attempts = 0;
  const value = lazy(() =>
    ++attempts === 1 ? Promise.reject(new Error("first")) : Promise.resolve(42)
  );
  await assertRejects(value(), /first/);
  assertEquals(await value(), 42);
});

Deno.test("anyPlugins() is true only for configured load paths or a managed .wasm", async () => {
  using dir = tempDir();
  const none = validateConfig({}, { file: "x" }).config;
  assertEquals(await anyPlugins(dir.path, none), false);
  await Deno.mkdir(`${dir.path}/plugins`);
  await Deno.writeFile(`${dir.path}/plugins/demo.wasm`, new Uint8Array([0]));
  assertEquals(await anyPlugins(dir.path, none), true);
  const disabled =
    validateConfig({ plugins: { enabled: false } }, { file: "x" }).config;
  assertEquals(await anyPlugins(dir.path, disabled), false);
});

Deno.test("pluginFeature() passes hook payloads through unchanged when no plugin is installed", async () => {
  using dir = tempDir();
  const { pluginFeature } = await import(
    "../../../gateway/start/plugin_feature.ts"
  );
  const logger = createLogger({ level: "error" });
  const feature = await pluginFeature({
    stateDir: dir.path,
    config: () => validateConfig({}, { file: "x" }).config,
    logger,
    credentials: {
      backend: "none",
      get: () => Promise.resolve(null),
      set: () => Promise.resolve(),
      delete: () => Promise.resolve(false),
    },
    env: isolatedEnv(dir.path),
  });
  assertEquals(await feature.hook("before_tool_call", { input: 1 }), {
    payload: { input: 1 },
    cancelled: false,
  });
  await feature.close();
  await logger.close();
});
