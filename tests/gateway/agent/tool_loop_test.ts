import { assert, assertEquals } from "../../_helpers.ts";
import type { Tool } from "../../../gateway/agent/types.ts";
import { mathEvalTool } from "../../../gateway/tools/math_eval.ts";
import { engineHarness } from "./_helpers.ts";

function countingTool(name: string, calls: unknown[]): Tool {
  return {
    name,
    description: `test tool ${name}`,
    inputSchema: { type: "object" },
    run(input) {
      calls.push(input);
      return Promise.resolve({ content: `${name} ran` });
    },
  };
}

Deno.test("createAgentRuns() runs the tools the model calls and sends the results back", async () => {
  await using h = engineHarness({ tools: [mathEvalTool()] });
  h.peer.push(
    {
      steps: [{ text: "Let me compute. " }, {
        toolUse: {
          id: "toolu_1",
          name: "math_eval",
          input: { expression: "6*7" },
        },
      }],
      stopReason: "tool_use",
    },
    { steps: [{ text: "It is 42." }] },
  );
  const handle = await h.runs.start({
    message: "6*7?",
    sessionKey: "t",
    source: "ws",
  });
  const result = await h.runs.wait(handle.runId);
  assertEquals(result.text, "Let me compute. It is 42.");
  const streams = h.sink.agent(handle.runId).map((e) => e.stream);
  assertEquals(streams, ["text", "tool_use", "tool_result", "text", "final"]);
  const second = h.peer.requests[1]!.messages as {
    role: string;
    content: { type: string; content?: unknown }[];
  }[];
  assertEquals(second.map((m) => m.role), ["user", "assistant", "user"]);
  const toolResult = second[2]!.content[0]!;
  assertEquals(toolResult.type, "tool_result");
  assert(JSON.stringify(toolResult.content).includes("42"));
  const session = h.state.sessions.getByKey("t")!;
  const roles = h.state.sessions.messages.list(session.id).map((m) => m.role);
  assertEquals(roles, ["user", "assistant", "tool", "tool", "assistant"]);
  // the stored tool exchange is sent back on the next turn
  h.peer.push({ steps: [{ text: "ok" }] });
  await h.runs.wait(
    (await h.runs.start({ message: "again", sessionKey: "t", source: "ws" }))
      .runId,
  );
  const third = h.peer.requests[2]!.messages as { role: string }[];
  assertEquals(third.map((m) => m.role), [
    "user",
    "assistant",
    "user",
    "assistant",
    "user",
  ]);
});

Deno.test("createAgentRuns() enforces the tool policy when advertising and at dispatch", async () => {
  const calls: unknown[] = [];
  await using h = engineHarness({
    tools: [
      countingTool("allowed_tool", calls),
      countingTool("secret_tool", calls),
    ],
    config: {
      agents: {
        list: [{
          id: "bot",
          tools: { policy: "deny-list", list: ["secret_tool"] },
        }],
      },
    },
  });
  h.peer.push(
    {
      steps: [{ toolUse: { id: "toolu_x", name: "secret_tool", input: {} } }],
      stopReason: "tool_use",
    },
    { steps: [{ text: "done" }] },
  );
  const handle = await h.runs.start({
    message: "go",
    sessionKey: "p",
    source: "ws",
  });
  await h.runs.wait(handle.runId);
  const advertised = (h.peer.requests[0]!.tools as { name: string }[]).map((
    t,
  ) => t.name);
  assertEquals(advertised, ["allowed_tool"]);
  assertEquals(calls, []);
  const result = h.sink.agent(handle.runId).find((e) =>
    e.stream === "tool_result"
  )!;
  assertEquals(result.data.isError, true);
  assert(String(result.data.content).includes("not allowed"));
});

Deno.test("createAgentRuns() denies every tool under an unknown policy and stops at maxTurns", async () => {
  const calls: unknown[] = [];
  await using h = engineHarness({
    tools: [countingTool("any_tool", calls)],
    config: {
      agents: { list: [{ id: "bot", toolPolicy: "whatever", maxTurns: 2 }] },
    },
  });
  h.peer.push({
    steps: [{ toolUse: { id: "toolu_y", name: "any_tool", input: {} } }],
    stopReason: "tool_use",
  });
  const handle = await h.runs.start({
    message: "go",
    sessionKey: "m",
    source: "ws",
  });
  const result = await h.runs.wait(handle.runId);
  assertEquals(result.stopReason, "max_turns");
  assertEquals(h.peer.requests.length, 2);
  assertEquals(h.peer.requests[0]!.tools, undefined);
  assertEquals(calls, []);
});
