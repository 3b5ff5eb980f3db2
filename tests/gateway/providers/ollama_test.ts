import { ollamaProvider } from "../../../gateway/providers/ollama.ts";
import { TOOL_ERROR_PREFIX } from "../../../gateway/providers/openai_messages.ts";
import { startLlmPeer } from "../../fakes/llm_peer.ts";
import { ollamaChatWire } from "../../fakes/ollama_chat.ts";
import { assertEquals } from "../../_helpers.ts";
import { collect, runConformance } from "./_conformance.ts";

interface WireMessage {
  role: string;
  tool_call_id?: string;
  content?: string;
}

runConformance({
  name: "ollama",
  wire: ollamaChatWire,
  build: (origin) => ollamaProvider({ baseUrl: origin }),
  overloadStatus: 503,
  toolResults: (body) =>
    (body as { messages: WireMessage[] }).messages.filter((m) =>
      m.role === "tool"
    ).map((m) => ({
      id: m.tool_call_id ?? "",
      content: m.content ?? "",
      isError: m.content?.startsWith(TOOL_ERROR_PREFIX) === true,
    })),
});

Deno.test("ollama stream() posts to /api/chat with num_predict and a bearer key when set", async () => {
  await using peer = startLlmPeer(ollamaChatWire);
  peer.script({ kind: "stream", text: ["hi"] });
  const provider = ollamaProvider({ baseUrl: peer.origin, apiKey: "ok-key" });
  const { events } = await collect(provider.stream({
    model: "llama3:8b",
    messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }],
    maxTokens: 42,
    signal: new AbortController().signal,
  }));
  assertEquals(events.at(-1), { type: "stop", reason: "end_turn" });
  const seen = peer.requests[0];
  assertEquals([seen?.path, seen?.headers.get("authorization")], [
    "/api/chat",
    "Bearer ok-key",
  ]);
  assertEquals((seen?.body as { options: unknown }).options, {
    num_predict: 42,
  });
});
