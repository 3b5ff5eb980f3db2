import { workerSession } from "../../../plugins/sandbox/worker_transport.ts";
import { PluginCrashError } from "../../../plugins/sandbox/session.ts";
import { assert, assertEquals, assertRejects } from "../../_helpers.ts";
import { fixtureCache, recordingHost } from "./_fixtures.ts";

const fixture = fixtureCache();
const OPTIONS = { callTimeoutMs: 2_000 };

Deno.test("workerSession() runs exports and forwards host calls when the plugin is well-behaved", async () => {
  const host = recordingHost();
  const session = workerSession(host, OPTIONS);
  try {
    await session.load(await fixture("log"), 1024);
    const manifest = await session.call("manifest", "get-manifest", []);
    assertEquals(manifest, {
      ok: true,
      value: {
        id: "wat-svc",
        name: "Wat Svc",
        description: "",
        version: "1.0.0",
        kind: "service",
      },
    });
    assertEquals(await session.call("service", "start", []), {
      ok: true,
      value: undefined,
    });
    assertEquals(host.logs, ["info hello"]);
  } finally {
    session.close();
  }
});

Deno.test("workerSession() stops linear memory at 64 MiB when the plugin grows without end", async () => {
  const session = workerSession(recordingHost(), OPTIONS);
  try {
    await session.load(await fixture("bomb"), 1024);
    // The fixture answers plugin-error "capped" only if growth stopped at 1024 pages.
    const outcome = await session.call("service", "start", []);
    assertEquals(outcome.ok, false);
    assertEquals(
      (outcome as { pluginError: { code: string } }).pluginError.code,
      "capped",
    );
  } finally {
    session.close();
  }
});

Deno.test("workerSession() reports a crash and refuses later calls when the plugin traps", async () => {
  const session = workerSession(recordingHost(), OPTIONS);
  await session.load(await fixture("crash"), 1024);
  await assertRejects(
    () => session.call("service", "start", []),
    PluginCrashError,
  );
  assert(session.deadReason?.includes("unreachable"), session.deadReason ?? "");
  await assertRejects(
    () => session.call("service", "health", []),
    PluginCrashError,
  );
});

Deno.test("workerSession() denies WASI sockets and shows no environment or directories", async () => {
  const session = workerSession(recordingHost(), OPTIONS);
  try {
    await session.load(await fixture("wasi"), 1024);
    // health() is true only when get-environment and get-directories are empty.
    assertEquals(await session.call("service", "health", []), {
      ok: true,
      value: true,
    });
    await assertRejects(
      () => session.call("service", "start", []),
      PluginCrashError,
    );
    assert(
      session.deadReason?.includes('WASI call "wasi:sockets/instance-network'),
    );
  } finally {
    session.close();
  }
});

Deno.test("workerSession() kills the plugin at the call limit when it loops forever", async () => {
  const session = workerSession(recordingHost(), { callTimeoutMs: 300 });
  await session.load(await fixture("loop"), 1024);
  const started = performance.now();
  const error = await session.call("service", "start", []).catch((e) => e);
  assert(error instanceof PluginCrashError);
  assertEquals(error.code, "plugin_timeout");
  assert(performance.now() - started < 1_500);
});
