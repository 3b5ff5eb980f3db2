import { processSession } from "../../../plugins/sandbox/process_transport.ts";
import { PluginCrashError } from "../../../plugins/sandbox/session.ts";
import { assert, assertEquals } from "../../_helpers.ts";
import { fixtureCache, recordingHost } from "./_fixtures.ts";

const fixture = fixtureCache();

Deno.test("processSession() runs exports and host calls across the process boundary", async () => {
  const host = recordingHost();
  const session = processSession(host, { callTimeoutMs: 5_000 });
  try {
    await session.load(await fixture("log"), 1024);
    assertEquals(await session.call("service", "start", []), {
      ok: true,
      value: undefined,
    });
    assertEquals(await session.call("service", "health", []), {
      ok: true,
      value: true,
    });
    assertEquals(host.logs, ["info hello"]);
  } finally {
    session.close();
  }
});

Deno.test("processSession() SIGKILLs the child at the call limit when the plugin loops forever", async () => {
  const session = processSession(recordingHost(), { callTimeoutMs: 500 });
  await session.load(await fixture("loop"), 1024);
  const latencies: number[] = [];
  const started = performance.now();
  const error = await session.call("service", "start", []).catch((e) => e);
  latencies.push(performance.now() - started - 500);
  assert(error instanceof PluginCrashError, String(error));
  assertEquals(error.code, "plugin_timeout", error.message);
  // Generous: the shared CI machine may run the timer late.
  assert(latencies[0]! < 2_000, `kill latency ${latencies[0]} ms`);
  // The session is dead once the process is gone.
  const again = await session.call("service", "health", []).catch((e) => e);
  assert(again instanceof PluginCrashError);
});
