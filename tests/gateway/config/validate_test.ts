import { assert, assertEquals, assertMatch } from "../../_helpers.ts";
import { validateConfig } from "../../../gateway/config/validate.ts";
import { configErrorOf } from "./_helpers.ts";

Deno.test("validateConfig() applies the documented defaults to an empty config", () => {
  const { config, warnings } = validateConfig({});
  assertEquals(warnings, []);
  const { gateway } = config;
  assertEquals([gateway.port, gateway.bind, gateway.auth.mode], [
    18789,
    "loopback",
    undefined,
  ]);
  assertEquals(gateway.reload, { mode: "hybrid", debounceMs: 300 });
  assertEquals(gateway.hooks, {
    enabled: false,
    path: "/hooks",
    maxBodyBytes: 262144,
  });
  assertEquals(gateway.control.enabled, false);
  assertEquals([gateway.controlUi.enabled, gateway.controlUi.basePath], [
    false,
    "",
  ]);
  assertEquals(gateway.ws, {
    messageRate: 60,
    messageBurst: 120,
    maxConnections: 1024,
    maxPerIp: 32,
    maxJsonDepth: 32,
  });
  assertEquals(gateway.tls, { enabled: false, autoGenerate: true });
  assertEquals(gateway.trustedProxies, []);
  assertEquals(config.logging.level, "info");
  assertEquals(config.agents.defaults.maxConcurrent, 4);
  assertEquals(config.agents.defaults.model, undefined);
  assertEquals(config.agents.list, []);
  assertEquals(config.routes, {});
  assertEquals(config.sessions.retention, {
    enabled: true,
    days: 30,
    intervalHours: 6,
  });
  assertEquals(config.usage.enabled, true);
  assertEquals([config.cron.enabled, config.cron.maxConcurrentRuns], [
    false,
    2,
  ]);
  assertEquals(config.filesystem.maxReadBytes, 10485760);
  assertEquals(config.plugins.enabled, true);
  assertEquals(config.plugins.signature, {
    enabled: true,
    requireSignature: true,
    trustedPublishers: [],
  });
  assertEquals(config.plugins.sandbox.defaults, {
    allow_http: false,
    allow_credentials: false,
    allow_media: false,
  });
});

Deno.test("validateConfig() names the key path, the expectation and the value found", async () => {
  const error = await configErrorOf(
    () => validateConfig({ gateway: { port: "abc" } }),
    "validation",
  );
  assertEquals(
    error.message,
    `Invalid config at "gateway.port": expected an integer from 1 to 65535, got "abc"`,
  );
  assertEquals(error.keyPath, "gateway.port");
  const closed = await configErrorOf(
    () => validateConfig({ gateway: { auth: { mode: "magic" } } }),
    "validation",
  );
  assertEquals(
    closed.message,
    `Invalid config at "gateway.auth.mode": expected one of "none", "local", "token", "password", got "magic"`,
  );
});

Deno.test("validateConfig() counts further problems and never echoes a secret value", async () => {
  const error = await configErrorOf(
    () =>
      validateConfig({
        gateway: { port: 0, hooks: { token: ["hunter2-secret"] } },
      }),
    "validation",
  );
  assertMatch(error.message, /\(and 1 more problem\)$/);
  const secret = await configErrorOf(
    () => validateConfig({ gateway: { auth: { token: 12345678 } } }),
    "validation",
  );
  assertEquals(
    secret.message,
    `Invalid config at "gateway.auth.token": expected a string or null, got a number`,
  );
});

Deno.test("validateConfig() warns about unknown top-level keys and the top-level hooks section", () => {
  const { warnings } = validateConfig({
    bogus: 1,
    hooks: {},
    claudeCli: { enabled: true },
  });
  assertEquals(warnings, [
    `Unknown config key "bogus" is ignored`,
    `Config key "hooks" is ignored: webhooks are configured under "gateway.hooks"`,
  ]);
});

Deno.test("validateConfig() resolves reload mode aliases and turns unknown modes off with a warning", () => {
  assertEquals(
    validateConfig({ gateway: { reload: { mode: "disabled" } } }).config.gateway
      .reload.mode,
    "off",
  );
  assertEquals(
    validateConfig({ gateway: { reload: { mode: "HOT" } } }).config.gateway
      .reload.mode,
    "hot",
  );
  const odd = validateConfig({ gateway: { reload: { mode: "sometimes" } } });
  assertEquals(odd.config.gateway.reload.mode, "off");
  assertMatch(
    odd.warnings[0] ?? "",
    /Unknown "gateway\.reload\.mode" "sometimes": reload is off/,
  );
});

Deno.test("validateConfig() normalises the hooks path and refuses the root path", async () => {
  assertEquals(
    validateConfig({ gateway: { hooks: { path: "in/" } } }).config.gateway.hooks
      .path,
    "/in",
  );
  const error = await configErrorOf(
    () => validateConfig({ gateway: { hooks: { path: "/" } } }),
    "validation",
  );
  assertMatch(
    error.message,
    /^Invalid config at "gateway\.hooks\.path": expected a path other than "\/"/,
  );
});

Deno.test("validateConfig() rejects bare and slash model names with a canonical suggestion", async () => {
  const bare = await configErrorOf(
    () => validateConfig({ agents: { defaults: { model: "gpt-4o" } } }),
    "validation",
  );
  assertEquals(
    bare.message,
    `Invalid config at "agents.defaults.model": expected a canonical "provider:model" string, got "gpt-4o"; did you mean "openai:gpt-4o"?`,
  );
  const slash = await configErrorOf(
    () =>
      validateConfig({ routes: { fast: { model: "anthropic/claude-haiku" } } }),
    "validation",
  );
  assertMatch(
    slash.message,
    /^Invalid config at "routes\.fast\.model": .*did you mean "anthropic:claude-haiku"\?$/,
  );
  const ok = validateConfig({
    agents: { defaults: { model: "ollama:qwen3-coder:30b" } },
  });
  assertEquals(ok.config.agents.defaults.model, "ollama:qwen3-coder:30b");
});

Deno.test("validateConfig() checks route ids, route references and duplicate agent ids", async () => {
  await configErrorOf(
    () => validateConfig({ routes: { Fast: { model: "openai:gpt-4o" } } }),
    "validation",
  );
  const unknown = await configErrorOf(
    () =>
      validateConfig({
        routes: { fast: { model: "openai:gpt-4o" } },
        agents: { defaults: { route: "slow" } },
      }),
    "validation",
  );
  assertEquals(
    unknown.message,
    `Invalid config at "agents.defaults.route": expected a route defined under "routes" (fast), got "slow"`,
  );
  const dup = await configErrorOf(
    () => validateConfig({ agents: { list: [{ id: "a" }, { id: "a" }] } }),
    "validation",
  );
  assertMatch(
    dup.message,
    /^Invalid config at "agents\.list\.1\.id": expected a unique agent id/,
  );
  const both = validateConfig({
    routes: { fast: { model: "openai:gpt-4o" } },
    agents: { list: [{ id: "a", route: "fast", model: "openai:gpt-4o" }] },
  });
  assertEquals(both.warnings, [
    `"agents.list.0" sets both "route" and "model": the route wins`,
  ]);
  assertEquals(both.config.agents.list[0]?.maxTurns, 25);
});

Deno.test("validateConfig() refuses unknown plugin signature keys and removed aliases", async () => {
  const error = await configErrorOf(
    () => validateConfig({ plugins: { signature: { require: true } } }),
    "validation",
  );
  assertEquals(
    error.message,
    `Invalid config at "plugins.signature": unknown key "require"; remove it`,
  );
  const removed = await configErrorOf(
    () => validateConfig({ sessions: { retentionDays: 7 } }),
    "validation",
  );
  assertMatch(removed.message, /use "sessions\.retention\.days"/);
});

Deno.test("validateConfig() keeps unknown keys inside known sections and free-form plugin config", () => {
  const { config } = validateConfig({
    gateway: { futureKey: 1 },
    plugins: { weather: { units: "metric" } },
    telegram: { botToken: "t" },
  });
  assertEquals((config.gateway as Record<string, unknown>).futureKey, 1);
  assertEquals((config.plugins as Record<string, unknown>).weather, {
    units: "metric",
  });
  assert(config.telegram !== undefined);
});

Deno.test("validateConfig() refuses a config that is not an object", async () => {
  const error = await configErrorOf(() => validateConfig([1]), "validation");
  assertEquals(
    error.message,
    `Invalid config at "(root)": expected an object, got [1]`,
  );
});
