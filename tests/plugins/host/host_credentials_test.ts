import { assertEquals } from "../../_helpers.ts";
import {
  createHostFunctions,
  type HostDeps,
} from "../../../plugins/host/host_functions.ts";
import {
  manualClock,
  MemoryCredentialStore,
  RecordingLogger,
} from "./_helpers.ts";

function setup(extra: Partial<HostDeps> = {}) {
  const store = new MemoryCredentialStore();
  const logger = new RecordingLogger();
  const clock = manualClock();
  const host = createHostFunctions("weather", {
    logger,
    credentials: store,
    pluginConfig: () => undefined,
    stateDir: "/nonexistent",
    sandbox: { overrides: { weather: { allow_credentials: true } } },
    clock: clock.now,
    ...extra,
  });
  return { store, logger, clock, host };
}

Deno.test("credentialSet() is denied without allow_credentials and says which switch allows it", async () => {
  const { host, store, logger } = setup({ sandbox: {} });
  assertEquals(await host.credentialSet("token", "v"), false);
  assertEquals(await host.credentialGet("token"), undefined);
  assertEquals(store.entries.size, 0);
  assertEquals(
    logger.entries[0]?.message,
    'Capability denied: plugin "weather" may not use credentials; set plugins.sandbox.overrides.weather.allow_credentials to true to allow it',
  );
});

Deno.test("credentialSet() scopes keys to <plugin-id>: and neutralises traversal", async () => {
  const { host, store } = setup();
  store.entries.set("other:token", "theirs");
  assertEquals(await host.credentialSet("token", "mine"), true);
  assertEquals(await host.credentialSet("../other/token", "x"), true);
  assertEquals(await host.credentialSet("a\\b", "y"), true);
  assertEquals([...store.entries.keys()].sort(), [
    "other:token",
    "weather:__other_token",
    "weather:a_b",
    "weather:token",
  ]);
  assertEquals(store.entries.get("other:token"), "theirs");
  assertEquals(await host.credentialGet("token"), "mine");
  assertEquals(await host.credentialGet("../other/token"), "x");
});

Deno.test("credentialSet() refuses empty, long and control-character keys", async () => {
  const { host, store } = setup();
  assertEquals(await host.credentialSet("", "v"), false);
  assertEquals(await host.credentialSet("k".repeat(65), "v"), false);
  assertEquals(await host.credentialSet("a\nb", "v"), false);
  assertEquals(await host.credentialSet("k".repeat(64), "v"), true);
  assertEquals(store.entries.size, 1);
});

Deno.test("credentialSet() refuses a value over 64 KiB and treats an empty value as unset", async () => {
  const { host, store } = setup();
  assertEquals(
    await host.credentialSet("big", "x".repeat(64 * 1024 + 1)),
    false,
  );
  assertEquals(await host.credentialSet("ok", "x".repeat(64 * 1024)), true);
  assertEquals(await host.credentialSet("ok", ""), true);
  assertEquals(store.entries.has("weather:ok"), false);
  store.entries.set("weather:blank", "");
  assertEquals(await host.credentialGet("blank"), undefined);
});

Deno.test("credentialSet() allows 10 writes a minute with an injected clock", async () => {
  const { host, clock } = setup();
  for (let i = 0; i < 10; i++) {
    assertEquals(await host.credentialSet(`k${i}`, "v"), true);
  }
  assertEquals(await host.credentialSet("k10", "v"), false);
  clock.advance(60_001);
  assertEquals(await host.credentialSet("k10", "v"), true);
});

Deno.test("credentialSet() refuses a 101st key but still updates existing ones", async () => {
  const { host, store } = setup();
  for (let i = 0; i < 100; i++) store.entries.set(`weather:k${i}`, "v");
  assertEquals(await host.credentialSet("new", "v"), false);
  assertEquals(await host.credentialSet("k5", "updated"), true);
  assertEquals(store.entries.get("weather:k5"), "updated");
});

Deno.test("credentialGet() honours credential_allowed_keys when permissions are enabled", async () => {
  const { host, store } = setup({
    permissions: {
      enabled: true,
      overrides: { weather: { credential_allowed_keys: ["api_*"] } },
    },
  });
  store.entries.set("weather:api_key", "a");
  store.entries.set("weather:token", "t");
  assertEquals(await host.credentialGet("api_key"), "a");
  assertEquals(await host.credentialGet("token"), undefined);
  assertEquals(await host.credentialSet("token", "t2"), false);
});
