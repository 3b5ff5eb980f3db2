import { assert, assertEquals, assertRejects } from "../../_helpers.ts";
import { agentMethods } from "../../../gateway/agent/agent_methods.ts";
import {
  agentsMethods,
  modelsMethods,
} from "../../../gateway/agent/catalog_methods.ts";
import { ConnectionSessions } from "../../../gateway/sessions/connection_sessions.ts";
import { sessionMethods } from "../../../gateway/sessions/session_methods.ts";
import { usageMethods } from "../../../gateway/usage/usage_methods.ts";
import { engineHarness } from "./_helpers.ts";
import { methodCaller } from "./_methods.ts";

function methodsOf(h: ReturnType<typeof engineHarness>) {
  const config = () => h.config;
  const defaultSessions = new ConnectionSessions();
  return [
    ...agentMethods({
      runs: h.runs,
      sessions: h.state.sessions,
      config,
      defaultSessions,
    }),
    ...agentsMethods({ config }),
    ...sessionMethods({ state: h.state, config, defaults: defaultSessions }),
    ...usageMethods({ state: h.state, tracker: h.usage, config }),
  ];
}

Deno.test("agentMethods() carry the protocol.md §6 scopes", async () => {
  await using h = engineHarness();
  const scopes = Object.fromEntries(methodsOf(h).map((m) => [m.name, m.scope]));
  assertEquals(scopes["agent"], "operator.write");
  assertEquals(scopes["chat.send"], "operator.write");
  assertEquals(scopes["chat.history"], "operator.read");
  assertEquals(scopes["sessions.list"], "operator.read");
  assertEquals(scopes["sessions.delete"], "operator.admin");
  assertEquals(scopes["usage.reset"], "operator.write");
  assertEquals(scopes["agents.list"], "operator.read");
});

Deno.test("chat.send runs a turn, agent.wait returns it and chat.history shows both messages", async () => {
  await using h = engineHarness();
  h.peer.push({ steps: [{ text: "pong" }] });
  const call = methodCaller(methodsOf(h), h.sink);
  const sent = await call("chat.send", {
    message: "ping",
    idempotencyKey: "i1",
    sessionKey: "s",
  });
  assertEquals([sent.status, sent.agentTriggered, sent.sessionKey], [
    "accepted",
    true,
    "s",
  ]);
  assert(typeof sent.messageId === "string");
  const done = await call("agent.wait", {
    runId: sent.runId,
    timeoutMs: 10_000,
  });
  assertEquals([done.status, done.text], ["done", "pong"]);
  const history = await call("chat.history", { sessionKey: "s" });
  const messages = history.messages as { role: string; content: string }[];
  assertEquals(messages.map((m) => [m.role, m.content]), [["user", "ping"], [
    "assistant",
    "pong",
  ]]);
  const usage = await call("usage.status");
  assertEquals((usage.summary as { requests: number }).requests, 1);
  assertEquals(usage.pricingConfigured, false);
});

Deno.test("chat.send stores the message and answers queued when no provider is configured", async () => {
  await using h = engineHarness({
    config: { agents: { defaults: { model: "openai:gpt-4o" } } },
  });
  const call = methodCaller(methodsOf(h), h.sink);
  const sent = await call("chat.send", {
    message: "hello",
    idempotencyKey: "i2",
    sessionKey: "q",
  });
  assertEquals([sent.status, sent.agentTriggered, sent.runId], [
    "queued",
    false,
    null,
  ]);
  const history = await call("chat.history", { sessionKey: "q" });
  assertEquals((history.messages as unknown[]).length, 1);
  await assertRejects(
    () => call("agent", { message: "x", idempotencyKey: "i3" }),
    (error: { code: string }) => error.code === "provider_not_configured",
  );
});

Deno.test("chat.abort aborts the running turns of a session", async () => {
  await using h = engineHarness();
  h.peer.push({ steps: [{ hang: true }] });
  const call = methodCaller(methodsOf(h), h.sink);
  const started = await call("agent", {
    message: "x",
    idempotencyKey: "a1",
    sessionKey: "ab",
  });
  assertEquals(started.status, "accepted");
  const again = await call("agent", {
    message: "x",
    idempotencyKey: "a1",
    sessionKey: "ab",
  });
  assertEquals([again.runId, again.duplicate], [started.runId, true]);
  const aborted = await call("chat.abort", { sessionKey: "ab" });
  assertEquals([aborted.aborted, aborted.runIds], [true, [started.runId]]);
  const done = await call("agent.wait", { runId: started.runId });
  assertEquals(done.status, "aborted");
});

Deno.test("sessionMethods() create, fork, compact, archive, restore, reset and delete", async () => {
  await using h = engineHarness();
  const call = methodCaller(methodsOf(h), h.sink);
  await call("sessions.create", { key: "s1", metadata: { name: "one" } });
  const session = h.state.sessions.getByKey("s1")!;
  for (let i = 0; i < 6; i++) {
    h.state.sessions.messages.append({
      sessionId: session.id,
      role: i % 2 ? "assistant" : "user",
      content: `m${i}`,
    });
  }
  const fork = await call("sessions.fork", { key: "s1", newKey: "s2" });
  assertEquals((fork.session as { messageCount: number }).messageCount, 6);
  const compacted = await call("sessions.compact", { key: "s1", maxLines: 2 });
  assertEquals([compacted.compacted, compacted.kept], [4, 2]);
  const loaded = await call("sessions.load", { key: "s1" });
  const meta =
    (loaded.session as { metadata: { compaction: { last_summary: string } } })
      .metadata;
  assert(meta.compaction.last_summary.includes("user: m0"));
  await call("sessions.archive", { key: "s1" });
  await assertRejects(() => call("sessions.reset", { key: "s1" }), /archived/);
  await assertRejects(
    () => h.runs.start({ message: "x", sessionKey: "s1", source: "ws" }),
    /archived/,
  );
  await call("sessions.restore", { key: "s1" });
  assertEquals(
    (await call("sessions.reset", { key: "s1" })).deletedMessages,
    2,
  );
  const list = await call("sessions.list", {});
  assertEquals(list.count, 2);
  assertEquals((await call("sessions.delete", { key: "s2" })).deleted, true);
  const agents = await call("agents.list");
  assertEquals([agents.count, agents.defaultId, agents.mainKey], [
    1,
    "main",
    "main",
  ]);
});

Deno.test("usage methods price calls from usage.pricing and can be switched off", async () => {
  await using h = engineHarness({
    config: {
      usage: {
        pricing: {
          default: { inputCostPerMTok: 1_000_000, outputCostPerMTok: 0 },
        },
      },
    },
  });
  h.peer.push({ steps: [{ text: "x" }], usage: { input: 3, output: 1 } });
  const call = methodCaller(methodsOf(h), h.sink);
  const first = await call("chat.send", {
    message: "a",
    idempotencyKey: "u1",
    sessionKey: "u",
  });
  await call("agent.wait", { runId: first.runId });
  const status = await call("usage.status");
  assertEquals((status.summary as { totalCost: number }).totalCost, 3);
  await call("usage.disable");
  const second = await call("chat.send", {
    message: "b",
    idempotencyKey: "u2",
    sessionKey: "u",
  });
  await call("agent.wait", { runId: second.runId });
  assertEquals(
    ((await call("usage.status")).summary as { requests: number }).requests,
    1,
  );
  assertEquals((await call("usage.reset")).deleted, 1);
});

Deno.test("models.list lists configured models and agent.identity.get names the agent", async () => {
  await using h = engineHarness({
    config: {
      routes: { fast: { model: "anthropic:claude-haiku", label: "Fast" } },
      agents: {
        list: [{
          id: "helper",
          identity: { name: "Helper", description: "Helps" },
        }],
      },
    },
  });
  const source = { listModels: () => Promise.reject(new Error("offline")) };
  const call = methodCaller([
    ...modelsMethods({ config: () => h.config, providers: source }),
    ...agentsMethods({ config: () => h.config }),
  ], h.sink);
  const models = (await call("models.list")).models as {
    id: string;
    name?: string;
  }[];
  assertEquals(models.map((m) => m.id), [
    "anthropic:claude-fake",
    "anthropic:claude-haiku",
  ]);
  assertEquals(models[1]!.name, "Fast");
  const identity = await call("agent.identity.get", { agentId: "helper" });
  assertEquals([identity.agentId, identity.name, identity.description], [
    "helper",
    "Helper",
    "Helps",
  ]);
  await assertRejects(
    () => call("agent.identity.get", { agentId: "nobody" }),
    /no such agent/,
  );
});

Deno.test("chat.send without a session key uses the connection's sessions.switch default", async () => {
  await using h = engineHarness();
  h.peer.push({ steps: [{ text: "noted" }] });
  h.state.sessions.create({ sessionKey: "work" });
  const call = methodCaller(methodsOf(h), h.sink);
  const before = await call("chat.send", {
    message: "no switch yet",
    idempotencyKey: "s0",
    triggerAgent: false,
  });
  assertEquals(before.sessionKey, "main:default:default");
  await call("sessions.switch", { key: "work" });
  const sent = await call("chat.send", { message: "hi", idempotencyKey: "s1" });
  assertEquals(sent.sessionKey, "work");
  await call("agent.wait", { runId: sent.runId, timeoutMs: 10_000 });
  const history = await call("chat.history", { sessionKey: "work" });
  assertEquals(
    (history.messages as { content: string }[]).map((m) => m.content),
    ["hi", "noted"],
  );
  const explicit = await call("chat.send", {
    message: "elsewhere",
    idempotencyKey: "s2",
    sessionKey: "other",
    triggerAgent: false,
  });
  assertEquals(explicit.sessionKey, "other");
});
