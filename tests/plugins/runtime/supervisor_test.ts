import {
  PluginSupervisor,
  type SupervisorState,
} from "../../../plugins/sandbox/supervisor.ts";
import { PluginCrashError } from "../../../plugins/sandbox/session.ts";
import { assert, assertEquals } from "../../_helpers.ts";
import { fixtureCache, recordingHost } from "./_fixtures.ts";

const fixture = fixtureCache();

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) {
      throw new Error("condition not met in time");
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

Deno.test("PluginSupervisor marks a crashed plugin failed and restarts it after the back-off", async () => {
  const states: SupervisorState[] = [];
  const supervisor = new PluginSupervisor(
    await fixture("crash"),
    recordingHost(),
    {
      trust: "trusted",
      callTimeoutMs: 2_000,
      restartDelayMs: 50,
      onState: (state) => void states.push(state),
    },
  );
  try {
    await supervisor.start();
    assertEquals(supervisor.state, "active");
    const error = await supervisor.call("service", "start", []).catch((e) => e);
    assert(error instanceof PluginCrashError);
    assertEquals(supervisor.state, "failed");
    assert(supervisor.reason?.includes("unreachable"), supervisor.reason ?? "");
    const refused = await supervisor.call("service", "health", []).catch((e) =>
      e
    );
    assert(refused instanceof PluginCrashError);
    await until(() => supervisor.state === "active");
    assertEquals(await supervisor.call("service", "health", []), {
      ok: true,
      value: true,
    });
    assertEquals(states, [
      "starting",
      "active",
      "failed",
      "starting",
      "active",
    ]);
  } finally {
    supervisor.close();
  }
});

Deno.test("PluginSupervisor kills a looping untrusted plugin and keeps serving after the restart", async () => {
  const supervisor = new PluginSupervisor(
    await fixture("loop"),
    recordingHost(),
    {
      callTimeoutMs: 400,
      restartDelayMs: 20,
    },
  );
  try {
    await supervisor.start();
    const error = await supervisor.call("service", "start", []).catch((e) => e);
    assertEquals(error.code, "plugin_timeout");
    assertEquals(supervisor.state, "failed");
    await until(() => supervisor.state === "active");
    assertEquals(await supervisor.call("service", "health", []), {
      ok: true,
      value: true,
    });
  } finally {
    supervisor.close();
  }
});
