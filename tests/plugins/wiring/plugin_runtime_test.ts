/**
 * startPluginRuntime() against real components (componentize-js and WAT
 * fixtures) in real sandboxes: tools, hooks, channel sends, live status, and
 * hostile plugins that crash or loop while the rest keeps serving.
 */
import { messageSendTool } from "../../../gateway/tools/message_send.ts";
import { join } from "node:path";
import {
  type PluginRuntime,
  startPluginRuntime,
} from "../../../plugins/runtime/plugin_runtime.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  tempDir,
} from "../../_helpers.ts";
import {
  fileCredentials,
  layOutPlugins,
  quietLogger,
  wiringConfig,
} from "./_helpers.ts";

const toolContext = {
  agentId: "main",
  sessionKey: "s1",
  runId: "r1",
  signal: new AbortController().signal,
};

async function runtimeFor(
  stateDir: string,
  dir: string,
  limits: { callTimeoutMs: number; restartDelayMs: number },
): Promise<PluginRuntime> {
  const config = wiringConfig({ load: { paths: [dir] } });
  return await startPluginRuntime({
    stateDir,
    config: () => config,
    logger: quietLogger(),
    credentials: await fileCredentials(stateDir),
    env: {},
    limits,
    healthIntervalMs: 0,
  });
}

Deno.test("startPluginRuntime() serves the tools, hooks and channel of an active plugin", async () => {
  using state = tempDir();
  const dir = join(state.path, "load");
  await layOutPlugins(dir, ["ok"]);
  await using runtime = await runtimeFor(state.path, dir, {
    callTimeoutMs: 5_000,
    restartDelayMs: 50,
  });
  const status = runtime.status();
  assertEquals(status.activationErrorCount, 0, JSON.stringify(status));
  assertEquals(
    status.plugins.map((p) => [p.name, p.pluginId, p.source, p.state]),
    [
      ["svc-ok", "svc-ok", "config", "active"],
      ["wiring", "wiring", "config", "active"],
    ],
  );
  const tools = runtime.tools();
  assertEquals(tools.map((t) => t.name), ["wiring_echo"]);
  assertEquals(tools[0]!.inputSchema.type, "object");
  const output = await tools[0]!.run({ q: "hi" }, toolContext);
  assertEquals(JSON.parse(output.content), {
    params: { q: "hi" },
    session: "s1",
  });

  const sending = await runtime.runHook("message_sending", {
    to: "a",
    content: "hello",
  });
  assertEquals(sending, {
    payload: { to: "a", content: "HELLO" },
    cancelled: false,
    handledBy: ["wiring"],
  });
  const cancelled = await runtime.runHook("message_sending", {
    content: "cancel",
  });
  assertEquals(cancelled.cancelled, true);
  const ended = await runtime.runHook("agent_end", { content: "x" });
  assertEquals(ended.payload, { content: "x" }, "agent_end is not modifiable");
  await assertRejects(runtime.runHook("no_such_hook", {}), /not a hook name/);

  assertEquals(runtime.channels(), [{
    channelId: "wiring-chan",
    pluginId: "wiring",
  }]);
  const delivery = await runtime.sendText("wiring-chan", {
    to: "bob",
    text: "hi",
  });
  assertEquals([delivery.ok, delivery.messageId], [true, "m-bob-2"]);
  await assertRejects(
    runtime.sendText("elsewhere", { to: "bob", text: "hi" }),
    /no active channel plugin serves it/,
  );
  // The fixture refuses polls with a plugin-error: a failed delivery, not a crash.
  const poll = await runtime.sendPoll("wiring-chan", {
    to: "bob",
    poll: { question: "Lunch?", options: ["yes", "no"], allowMultiple: false },
  });
  assertEquals(poll.ok, false);
  await assertRejects(
    runtime.sendPoll("wiring-chan", {
      to: "bob",
      poll: { question: "?", options: ["only one"], allowMultiple: false },
    }),
    /2–12 options/,
  );
  const tool = messageSendTool(runtime);
  const sent = await tool.run({
    channel: "wiring-chan",
    to: "carol",
    text: "hello",
  }, TOOL_CONTEXT);
  assertEquals(JSON.parse(sent.content), { ok: true, messageId: "m-carol-5" });
});

Deno.test("startPluginRuntime() marks crashing and looping plugins failed while the others keep serving", async () => {
  using state = tempDir();
  const dir = join(state.path, "load");
  await layOutPlugins(dir, ["crash", "loop"]);
  const started = performance.now();
  await using runtime = await runtimeFor(state.path, dir, {
    callTimeoutMs: 1_000,
    restartDelayMs: 60_000,
  });
  assert(performance.now() - started < 20_000, "start-up waited too long");
  const status = runtime.status();
  const rows = Object.fromEntries(status.plugins.map((p) => [p.name, p]));
  assertEquals(rows["wiring"]?.state, "active");
  assertEquals(rows["svc-crash"]?.state, "failed");
  assert(rows["svc-crash"]?.reason?.includes("unreachable"));
  assertEquals(rows["svc-loop"]?.state, "failed");
  assert(rows["svc-loop"]?.reason?.includes("killed"));
  assertEquals(status.activationErrorCount, 2);
  const output = await runtime.tools()[0]!.run({ q: "still" }, toolContext);
  assertEquals(JSON.parse(output.content).params, { q: "still" });
});

const TOOL_CONTEXT = {
  agentId: "main",
  sessionKey: "k",
  runId: "r",
  signal: new AbortController().signal,
};
