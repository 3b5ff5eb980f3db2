import { assert, assertEquals, assertRejects } from "../../_helpers.ts";
import { engineHarness } from "./_helpers.ts";
import type { AgentRunService } from "../../../gateway/agent/runs.ts";

Deno.test("createAgentRuns() streams a reply as agent and chat events and stores both messages", async () => {
  await using h = engineHarness();
  h.peer.push({
    steps: [{ text: "Hel" }, { text: "lo" }],
    usage: { input: 7, output: 3 },
  });
  const handle = await h.runs.start({
    message: "hi",
    sessionKey: "main:default:default",
    source: "ws",
  });
  assertEquals(handle.status, "accepted");
  const result = await h.runs.wait(handle.runId, { timeoutMs: 10_000 });
  assertEquals(result.status, "done");
  assertEquals(result.text, "Hello");
  assertEquals(result.usage, { inputTokens: 7, outputTokens: 3 });
  const agent = h.sink.agent(handle.runId);
  assertEquals(agent.map((e) => e.stream), ["text", "text", "final"]);
  assertEquals(agent.map((e) => e.seq), [1, 2, 3]);
  assertEquals(agent[0]?.data, { delta: "Hel" });
  const chat = h.sink.chat(handle.runId);
  assertEquals(chat.map((e) => e.state), ["delta", "delta", "final"]);
  assertEquals(chat.at(-1)?.message, "Hello");
  assertEquals(chat.at(-1)?.stopReason, "end_turn");
  assert(h.sink.sent.every((e) => e.options?.scope === "operator.read"));
  const session = h.state.sessions.getByKey("main:default:default")!;
  const stored = h.state.sessions.messages.list(session.id);
  assertEquals(stored.map((m) => [m.role, m.content, m.incomplete]), [
    ["user", "hi", false],
    ["assistant", "Hello", false],
  ]);
  const body = h.peer.requests[0]!;
  assertEquals(body.model, "claude-fake");
  assertEquals(body.stream, true);
  assertEquals(h.state.usage.sessionTotals(session.id).inputTokens, 7);
});

Deno.test("createAgentRuns() sends the stored history on the next turn", async () => {
  await using h = engineHarness();
  h.peer.push({ steps: [{ text: "one" }] });
  const key = "main:default:history";
  const first = await h.runs.start({
    message: "a",
    sessionKey: key,
    source: "ws",
  });
  await h.runs.wait(first.runId);
  const second = await h.runs.start({
    message: "b",
    sessionKey: key,
    source: "ws",
  });
  await h.runs.wait(second.runId);
  const messages = h.peer.requests[1]!.messages as { role: string }[];
  assertEquals(messages.map((m) => m.role), ["user", "assistant", "user"]);
});

Deno.test("createAgentRuns() answers a duplicate in-flight idempotency key with the same run", async () => {
  await using h = engineHarness();
  h.peer.push({ steps: [{ waitMs: 200 }, { text: "x" }] });
  const request = {
    message: "hi",
    sessionKey: "k",
    idempotencyKey: "idem-1",
    source: "ws" as const,
  };
  const first = await h.runs.start(request);
  const second = await h.runs.start(request);
  assertEquals(second.runId, first.runId);
  assertEquals(second.duplicate, true);
  assertEquals(first.duplicate, undefined);
  await h.runs.wait(first.runId);
  assertEquals(h.peer.requests.length, 1);
});

Deno.test("createAgentRuns() abort() cancels the provider stream and keeps the partial reply", async () => {
  await using h = engineHarness();
  h.peer.push({ steps: [{ text: "partial" }, { hang: true }] });
  const handle = await h.runs.start({
    message: "hi",
    sessionKey: "k",
    source: "ws",
  });
  await h.sink.until(() => h.sink.agent(handle.runId).length > 0);
  assert(h.runs.abort(handle.runId, "user asked"));
  const result = await h.runs.wait(handle.runId);
  assertEquals(result.status, "aborted");
  assertEquals(h.sink.chat(handle.runId).at(-1)?.state, "error");
  const session = h.state.sessions.getByKey("k")!;
  const reply = h.state.sessions.messages.list(session.id)[1]!;
  assertEquals([reply.content, reply.incomplete], ["partial", true]);
  await h.sink.until(() => h.peer.cancelled === 1);
  assertEquals(h.runs.abort(handle.runId), false);
});

Deno.test("createAgentRuns() ends a run that outlives timeoutSeconds with an error", async () => {
  await using h = engineHarness();
  h.peer.push({ steps: [{ hang: true }] });
  const handle = await h.runs.start({
    message: "hi",
    sessionKey: "k",
    timeoutSeconds: 1,
    source: "task",
  });
  const result = await h.runs.wait(handle.runId);
  assertEquals(result.status, "error");
  assert(result.error?.includes("timed out after 1 s"));
});

Deno.test("createAgentRuns() queues runs beyond maxConcurrent per agent", async () => {
  await using h = engineHarness({
    config: { agents: { defaults: { maxConcurrent: 1 } } },
  });
  h.peer.push({ steps: [{ waitMs: 150 }, { text: "x" }] });
  const a = await h.runs.start({
    message: "a",
    sessionKey: "s1",
    source: "ws",
  });
  const b = await h.runs.start({
    message: "b",
    sessionKey: "s2",
    source: "ws",
  });
  await new Promise((resolve) => setTimeout(resolve, 80));
  assertEquals(h.peer.requests.length, 1);
  await h.runs.wait(a.runId);
  await h.runs.wait(b.runId);
  assertEquals(h.peer.requests.length, 2);
});

Deno.test("createAgentRuns() start() refuses unknown routes, a missing model and unconfigured providers", async () => {
  await using h = engineHarness({
    config: { routes: { fast: { model: "openai:gpt-4o" } } },
  });
  const codes: string[] = [];
  for (
    const extra of [{ route: "slow" }, { route: "fast" }, {
      model: "gemini:gemini-2.0-flash",
    }]
  ) {
    try {
      await h.runs.start({
        message: "hi",
        sessionKey: "k",
        source: "ws",
        ...extra,
      });
    } catch (error) {
      codes.push((error as { code: string }).code);
    }
  }
  assertEquals(codes, [
    "unknown_route",
    "provider_not_configured",
    "provider_not_configured",
  ]);
  assertEquals(h.state.sessions.getByKey("k"), undefined);
});

Deno.test("createAgentRuns() abortAll() ends every active run", async () => {
  await using h = engineHarness();
  h.peer.push({ steps: [{ hang: true }] });
  const a = await h.runs.start({
    message: "a",
    sessionKey: "x1",
    source: "ws",
  });
  const b = await h.runs.start({
    message: "b",
    sessionKey: "x2",
    source: "ws",
  });
  assertEquals(h.runs.abortAll("gateway stopping"), 2);
  assertEquals((await h.runs.wait(a.runId)).status, "aborted");
  assertEquals(
    (await h.runs.wait(b.runId)).error,
    "The run was aborted: gateway stopping",
  );
});

Deno.test("start() runs the turn while the user message syncs, answers once it is durable, and holds events until released", async () => {
  await using h = engineHarness();
  h.peer.push({ steps: [{ text: "pong" }] });
  let syncDone!: () => void;
  const diskDone = new Promise<void>((resolve) => (syncDone = resolve));
  const durably = h.state.durably.bind(h.state);
  h.state.durably = (fn) => {
    const { value, synced } = durably(fn);
    // A disk that takes its time: the sync ends when the test says so.
    return { value, synced: synced.then(() => diskDone) };
  };
  let answered = false;
  const started = h.runs.start(
    { message: "ping", sessionKey: "s", source: "ws" },
    { holdEvents: true },
  ).then((handle) => {
    answered = true;
    return handle;
  });
  const session = () => h.state.sessions.getByKey("s");
  const stored = () =>
    session() === undefined ? [] : h.state.sessions.messages
      .list(session()!.id, { limit: 10 }).map((m) => [m.role, m.content]);
  const deadline = Date.now() + 10_000;
  while (stored().length < 2 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  // The turn finished before the message was durable: no answer, no events.
  assertEquals(stored(), [["user", "ping"], ["assistant", "pong"]]);
  assertEquals([answered, h.sink.sent.length], [false, 0]);
  syncDone();
  const handle = await started;
  assertEquals(h.sink.sent.length, 0);
  handle.release!();
  const chat = h.sink.chat(handle.runId);
  assertEquals(chat.map((e) => e.state), ["delta", "final"]);
  assertEquals(chat.map((e) => e.seq), [1, 2]);
});

Deno.test("start() without holdEvents lets events out as they happen", async () => {
  await using h = engineHarness();
  h.peer.push({ steps: [{ text: "pong" }] });
  const handle = await h.runs.start({
    message: "ping",
    sessionKey: "s",
    source: "ws",
  });
  assertEquals(handle.release, undefined);
  await h.runs.wait(handle.runId, { timeoutMs: 10_000 });
  assertEquals(h.sink.chat(handle.runId).at(-1)?.state, "final");
});

Deno.test("createAgentRuns() calls onRunEnd once after each run, done or aborted, once it is no longer active", async () => {
  const key = "main:default:ends";
  const service: { runs?: AgentRunService } = {};
  const activeAtEnd: number[] = [];
  await using h = engineHarness({
    deps: {
      onRunEnd: () => activeAtEnd.push(service.runs!.activeRuns(key).length),
    },
  });
  service.runs = h.runs;
  h.peer.push({ steps: [{ text: "ok" }] }, { steps: [{ hang: true }] });
  const first = await h.runs.start({
    message: "a",
    sessionKey: key,
    source: "ws",
  });
  assertEquals((await h.runs.wait(first.runId)).status, "done");
  const second = await h.runs.start({
    message: "b",
    sessionKey: key,
    source: "ws",
  });
  while (h.peer.requests.length < 2) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assertEquals(activeAtEnd, [0]);
  h.runs.abortAll("test over");
  assertEquals((await h.runs.wait(second.runId)).status, "aborted");
  assertEquals(activeAtEnd, [0, 0]);
});

Deno.test("createAgentRuns() keeps a finished run (and its idempotency key) for retainMs, then forgets it", async () => {
  await using h = engineHarness({ deps: { retainMs: 150 } });
  h.peer.push({ steps: [{ text: "ok" }] });
  const key = "main:default:retain";
  const first = await h.runs.start({
    message: "a",
    sessionKey: key,
    source: "ws",
    idempotencyKey: "k-1",
  });
  await h.runs.wait(first.runId);
  const again = await h.runs.start({
    message: "a",
    sessionKey: key,
    source: "ws",
    idempotencyKey: "k-1",
  });
  assertEquals([again.runId, again.duplicate], [first.runId, true]);
  await new Promise((resolve) => setTimeout(resolve, 400));
  assertEquals(h.runs.get(first.runId), undefined);
  await assertRejects(
    () => h.runs.wait(first.runId),
    (error: Error) => /no such run/.test(error.message),
  );
  const fresh = await h.runs.start({
    message: "a",
    sessionKey: key,
    source: "ws",
    idempotencyKey: "k-1",
  });
  assert(fresh.runId !== first.runId && fresh.duplicate !== true);
  await h.runs.wait(fresh.runId);
});

Deno.test("createAgentRuns() writes a streaming reply while it grows (marked incomplete), then complete", async () => {
  await using h = engineHarness({ deps: { flushIntervalMs: 40 } });
  h.peer.push({ steps: [{ text: "Hel" }, { waitMs: 400 }, { text: "lo" }] });
  const key = "main:default:paced";
  const handle = await h.runs.start({
    message: "hi",
    sessionKey: key,
    source: "ws",
  });
  const session = h.state.sessions.getByKey(key)!;
  const reply = () =>
    h.state.sessions.messages.list(session.id).find((m) =>
      m.role === "assistant"
    );
  const deadline = Date.now() + 5_000;
  while (reply() === undefined && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assertEquals([reply()?.content, reply()?.incomplete], ["Hel", true]);
  await h.runs.wait(handle.runId);
  assertEquals([reply()?.content, reply()?.incomplete], ["Hello", false]);
});
