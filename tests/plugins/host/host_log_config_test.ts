import { assert, assertEquals } from "../../_helpers.ts";
import {
  createHostFunctions,
  type HostDeps,
} from "../../../plugins/host/host_functions.ts";
import {
  manualClock,
  MemoryCredentialStore,
  RecordingLogger,
} from "./_helpers.ts";

function deps(
  extra: Partial<HostDeps> = {},
): HostDeps & { logger: RecordingLogger } {
  return {
    logger: new RecordingLogger(),
    credentials: new MemoryCredentialStore(),
    pluginConfig: () => undefined,
    stateDir: "/nonexistent",
    ...extra,
  } as HostDeps & { logger: RecordingLogger };
}

Deno.test("createHostFunctions() logs under plugins.<id> at the called level", () => {
  const d = deps();
  const host = createHostFunctions("weather", d);
  host.logDebug("d");
  host.logInfo("i");
  host.logWarn("w");
  host.logError("e");
  assertEquals(d.logger.entries, [
    { level: "debug", target: "plugins.weather", message: "d" },
    { level: "info", target: "plugins.weather", message: "i" },
    { level: "warn", target: "plugins.weather", message: "w" },
    { level: "error", target: "plugins.weather", message: "e" },
  ]);
});

Deno.test("logInfo() truncates a message over 4 KiB", () => {
  const d = deps();
  createHostFunctions("weather", d).logInfo("é".repeat(5000));
  const message = d.logger.entries[0]!.message;
  assert(new TextEncoder().encode(message).length <= 4096);
  assert(message.endsWith("[truncated]"));
});

Deno.test("logInfo() drops messages past 1000 a minute, warns once, and recovers", () => {
  const clock = manualClock();
  const d = deps({ clock: clock.now });
  const host = createHostFunctions("weather", d);
  for (let i = 0; i < 1500; i++) host.logInfo(`m${i}`);
  const infos = d.logger.entries.filter((e) => e.level === "info");
  const warns = d.logger.entries.filter((e) => e.level === "warn");
  assertEquals(infos.length, 1000);
  assertEquals(warns.length, 1);
  assert(warns[0]!.message.includes("rate limit"));
  clock.advance(60_001);
  host.logInfo("again");
  assertEquals(d.logger.entries.at(-1)?.message, "again");
});

Deno.test("configGet() reads plugins.<id>.<key> exactly", () => {
  const section = {
    apiKey: "k-1",
    retries: 3,
    nested: { a: true },
    nothing: null,
  };
  const host = createHostFunctions(
    "weather",
    deps({ pluginConfig: () => section }),
  );
  assertEquals(host.configGet("apiKey"), "k-1");
  assertEquals(host.configGet("apikey"), undefined);
  assertEquals(host.configGet("api_key"), undefined);
  assertEquals(host.configGet("retries"), "3");
  assertEquals(host.configGet("nested"), '{"a":true}');
  assertEquals(host.configGet("nothing"), undefined);
  assertEquals(host.configGet("toString"), undefined);
  assertEquals(host.configGet("nested.a"), undefined);
});
