import { anthropicProvider } from "../../../gateway/providers/anthropic.ts";
import { anthropicWire } from "../../fakes/anthropic_messages.ts";
import { startLlmPeer } from "../../fakes/llm_peer.ts";
import { assertEquals } from "../../_helpers.ts";
import { collect, runConformance } from "./_conformance.ts";

interface WireMessage {
  content: {
    type: string;
    tool_use_id?: string;
    content?: string;
    is_error?: boolean;
  }[];
}

runConformance({
  name: "anthropic",
  wire: anthropicWire,
  build: (origin) =>
    anthropicProvider({ apiKey: "sk-ant-test", baseUrl: origin }),
  overloadStatus: 529,
  toolResults: (body) =>
    (body as { messages: WireMessage[] }).messages.flatMap((m) => m.content)
      .filter((b) => b.type === "tool_result")
      .map((b) => ({
        id: b.tool_use_id ?? "",
        content: b.content ?? "",
        isError: b.is_error === true,
      })),
});

Deno.test("anthropic stream() maps an in-stream overloaded_error event to overloaded", async () => {
  await using peer = startLlmPeer(anthropicWire);
  peer.script({
    kind: "stream_error",
    text: ["Hi"],
    errorType: "overloaded_error",
    message: "Overloaded",
  });
  const provider = anthropicProvider({
    apiKey: "sk-ant-test",
    baseUrl: peer.origin,
  });
  const { error } = await collect(provider.stream({
    model: "claude-x",
    messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }],
    maxTokens: 10,
    signal: new AbortController().signal,
  }));
  assertEquals([error?.failure, error?.retryable], ["overloaded", true]);
  const headers = peer.requests[0]?.headers;
  const sent = headers?.get("x-api-key") ?? headers?.get("authorization");
  assertEquals(sent?.endsWith("sk-ant-test"), true);
});
