import { assert, assertEquals } from "../../_helpers.ts";
import type {
  HookOutcome,
  RunHook,
  Tool,
} from "../../../gateway/agent/types.ts";
import { engineHarness } from "./_helpers.ts";

function recordingTool(calls: unknown[]): Tool {
  return {
    name: "echo",
    description: "echo",
    inputSchema: { type: "object" },
    run(input) {
      calls.push(input);
      return Promise.resolve({ content: JSON.stringify(input) });
    },
  };
}

function hooksFrom(
  answer: (name: string, payload: Record<string, unknown>) => HookOutcome,
  seen: string[],
): RunHook {
  return (name, payload) => {
    seen.push(name);
    return Promise.resolve(answer(name, payload));
  };
}

function toolTurn(input: Record<string, unknown>) {
  return {
    steps: [{ toolUse: { id: "toolu_1", name: "echo", input } }],
    stopReason: "tool_use" as const,
  };
}

Deno.test("createAgentRuns() lets a before_tool_call hook rewrite the tool input and reports the lifecycle", async () => {
  const calls: unknown[] = [];
  const seen: string[] = [];
  const hooks = hooksFrom(
    (name, payload) =>
      name === "before_tool_call"
        ? {
          payload: { ...payload, input: { text: "rewritten" } },
          cancelled: false,
        }
        : { payload, cancelled: false },
    seen,
  );
  await using h = engineHarness({
    tools: [recordingTool(calls)],
    deps: { hooks },
  });
  h.peer.push(toolTurn({ text: "original" }), { steps: [{ text: "done" }] });
  const result = await h.runs.wait(
    (await h.runs.start({ message: "go", sessionKey: "k", source: "ws" }))
      .runId,
  );
  assertEquals(result.status, "done");
  assertEquals(calls, [{ text: "rewritten" }]);
  await new Promise((resolve) => setTimeout(resolve, 0));
  assertEquals(seen, [
    "before_agent_start",
    "before_tool_call",
    "after_tool_call",
    "agent_end",
  ]);
});

Deno.test("createAgentRuns() skips a tool a before_tool_call hook cancels and tells the model", async () => {
  const calls: unknown[] = [];
  const hooks = hooksFrom(
    (name, payload) => ({ payload, cancelled: name === "before_tool_call" }),
    [],
  );
  await using h = engineHarness({
    tools: [recordingTool(calls)],
    deps: { hooks },
  });
  h.peer.push(toolTurn({ text: "x" }), { steps: [{ text: "ok" }] });
  await h.runs.wait(
    (await h.runs.start({ message: "go", sessionKey: "k", source: "ws" }))
      .runId,
  );
  assertEquals(calls, []);
  const second = JSON.stringify(h.peer.requests[1]!.messages);
  assert(second.includes("cancelled by a plugin hook"), second);
});

Deno.test("createAgentRuns() ends a run that a before_agent_start hook cancels, without calling the provider", async () => {
  const hooks = hooksFrom(
    (name, payload) => ({ payload, cancelled: name === "before_agent_start" }),
    [],
  );
  await using h = engineHarness({ deps: { hooks } });
  const result = await h.runs.wait(
    (await h.runs.start({ message: "go", sessionKey: "k", source: "ws" }))
      .runId,
  );
  assertEquals(result.status, "error");
  assert(
    result.error?.includes("cancelled by a plugin hook"),
    String(result.error),
  );
  assertEquals(h.peer.requests.length, 0);
});
