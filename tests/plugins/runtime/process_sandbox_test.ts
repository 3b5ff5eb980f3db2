import { processSession } from "../../../plugins/sandbox/process_transport.ts";
import { PluginCrashError } from "../../../plugins/sandbox/session.ts";
import { assert, assertEquals } from "../../_helpers.ts";
import { fixtureCache, recordingHost } from "./_fixtures.ts";

const fixture = fixtureCache();

for (
  const channel of [
    { name: "a Unix socket", option: "socket" },
    { name: "the child's stdio (no Unix sockets)", option: "stdio" },
  ] as const
) {
  Deno.test(`processSession() runs exports and host calls across the process boundary over ${channel.name}`, async () => {
    const host = recordingHost();
    const session = processSession(host, {
      callTimeoutMs: 5_000,
      channel: channel.option,
    });
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
}

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

Deno.test({
  name:
    "processSession() refuses a process on its socket that does not send the child's nonce",
  ignore: Deno.build.os === "windows",
  async fn() {
    // Stands in for `cara`: connects to the socket it is given, claims to be
    // the plugin with a made-up nonce, and waits.
    const impostor = new URL("./_socket_impostor.ts", import.meta.url);
    const script = await Deno.makeTempFile({ suffix: ".sh" });
    try {
      await Deno.writeTextFile(
        script,
        `#!/bin/sh\nexec "${Deno.execPath()}" run --allow-all "${impostor.href}" "$@"\n`,
      );
      await Deno.chmod(script, 0o700);
      const session = processSession(recordingHost(), {
        callTimeoutMs: 5_000,
        execPath: script,
      });
      try {
        const started = performance.now();
        const error = await session.load(await fixture("log"), 1024).catch((
          e,
        ) => e);
        assert(error instanceof PluginCrashError, String(error));
        // Turned away and killed at once, not left to time out.
        assertEquals(error.code, "plugin_crashed", error.message);
        assert(performance.now() - started < 4_000);
      } finally {
        session.close();
      }
    } finally {
      await Deno.remove(script);
    }
  },
});
