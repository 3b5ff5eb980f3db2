import { assertEquals } from "../../_helpers.ts";
import {
  toProviderMessages,
  trimToBudget,
} from "../../../gateway/agent/history.ts";
import type { ChatMessage } from "../../../gateway/state/mod.ts";
import type { ProviderMessage } from "../../../gateway/providers/types.ts";

let seq = 0;
function stored(
  role: ChatMessage["role"],
  content: string,
  extra: Partial<ChatMessage> = {},
): ChatMessage {
  seq++;
  return {
    id: `m${seq}`,
    sessionId: "s",
    seq,
    role,
    content,
    toolCallId: null,
    toolName: null,
    tokens: null,
    incomplete: false,
    metadata: null,
    createdAt: seq,
    updatedAt: seq,
    ...extra,
  };
}

Deno.test("toProviderMessages() drops a tool call whose result was never stored", () => {
  const messages = toProviderMessages([
    stored("user", "hi"),
    stored("assistant", "checking", { incomplete: true }),
    stored("tool", "{}", {
      toolCallId: "t1",
      toolName: "x",
      metadata: { kind: "call" },
    }),
    stored("user", "hello?"),
  ]);
  assertEquals(messages, [
    { role: "user", content: [{ type: "text", text: "hi" }] },
    { role: "assistant", content: [{ type: "text", text: "checking" }] },
    { role: "user", content: [{ type: "text", text: "hello?" }] },
  ]);
});

Deno.test("toProviderMessages() pairs stored calls with their results", () => {
  const messages = toProviderMessages([
    stored("user", "hi"),
    stored("tool", '{"a":1}', {
      toolCallId: "t1",
      toolName: "x",
      metadata: { kind: "call" },
    }),
    stored("tool", "out", {
      toolCallId: "t1",
      toolName: "x",
      metadata: { kind: "result", isError: true },
    }),
    stored("assistant", "done"),
  ]);
  assertEquals(messages.map((m) => m.content.map((b) => b.type)), [
    ["text"],
    ["tool_use"],
    ["tool_result"],
    ["text"],
  ]);
  assertEquals(messages[1]!.content[0], {
    type: "tool_use",
    id: "t1",
    name: "x",
    input: { a: 1 },
  });
});

Deno.test("trimToBudget() keeps the newest messages that fit and starts at a user message", () => {
  const long = "x".repeat(400); // ≈ 100 tokens + overhead
  const messages: ProviderMessage[] = [];
  for (let i = 0; i < 11; i++) {
    messages.push({
      role: i % 2 === 0 ? "user" : "assistant",
      content: [{ type: "text", text: long }],
    });
  }
  const trimmed = trimToBudget(messages, 350);
  assertEquals(trimmed.messages.length, 3);
  assertEquals(trimmed.dropped, 8);
  assertEquals(trimmed.messages[0]!.role, "user");
  assertEquals(trimToBudget(messages, 0).messages.length, 1);
});
