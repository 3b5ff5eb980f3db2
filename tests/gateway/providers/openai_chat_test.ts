import {
  openaiBaseUrl,
  openaiChatProvider,
} from "../../../gateway/providers/openai_chat.ts";
import { TOOL_ERROR_PREFIX } from "../../../gateway/providers/openai_messages.ts";
import type { ProviderId } from "../../../gateway/providers/types.ts";
import { startLlmPeer } from "../../fakes/llm_peer.ts";
import { openaiChatWire } from "../../fakes/openai_chat.ts";
import { assertEquals } from "../../_helpers.ts";
import { collect, runConformance } from "./_conformance.ts";

interface WireMessage {
  role: string;
  tool_call_id?: string;
  content?: string;
}

function toolResults(body: unknown) {
  return (body as { messages: WireMessage[] }).messages.filter((m) =>
    m.role === "tool"
  ).map((m) => ({
    id: m.tool_call_id ?? "",
    content: m.content ?? "",
    isError: m.content?.startsWith(TOOL_ERROR_PREFIX) === true,
  }));
}

for (const id of ["openai", "nearai", "venice"] as ProviderId[]) {
  runConformance({
    name: id,
    wire: openaiChatWire,
    build: (origin) =>
      openaiChatProvider(id, { apiKey: "sk-test", baseUrl: origin }),
    overloadStatus: 503,
    toolResults,
  });
}

function ask(extra: Record<string, unknown> = {}) {
  return {
    model: "llama-3.3-70b",
    messages: [{
      role: "user" as const,
      content: [{ type: "text" as const, text: "Hi" }],
    }],
    maxTokens: 10,
    extra,
    signal: new AbortController().signal,
  };
}

Deno.test("venice stream() passes venice_parameters through and uses max_tokens", async () => {
  await using peer = startLlmPeer(openaiChatWire);
  peer.script({ kind: "stream", text: ["ok"] }, {
    kind: "stream",
    text: ["ok"],
  });
  const venice = openaiChatProvider("venice", {
    apiKey: "vk",
    baseUrl: `${peer.origin}/api`,
  });
  await collect(
    venice.stream(
      ask({ veniceParameters: { include_venice_system_prompt: false } }),
    ),
  );
  const body = peer.requests[0]?.body as Record<string, unknown>;
  assertEquals(peer.requests[0]?.path, "/api/v1/chat/completions");
  assertEquals(body.venice_parameters, { include_venice_system_prompt: false });
  assertEquals([body.max_tokens, body.model], [10, "llama-3.3-70b"]);
  const openai = openaiChatProvider("openai", {
    apiKey: "sk",
    baseUrl: peer.origin,
    headers: { "X-Title": "cara" },
  });
  await collect(openai.stream(ask({ venice_parameters: { x: 1 } })));
  const second = peer.requests[1];
  assertEquals(
    (second?.body as Record<string, unknown>).venice_parameters,
    undefined,
  );
  assertEquals(
    (second?.body as Record<string, unknown>).max_completion_tokens,
    10,
  );
  assertEquals([
    second?.headers.get("x-title"),
    second?.headers.get("authorization"),
  ], ["cara", "Bearer sk"]);
});

Deno.test("openaiBaseUrl() appends /v1 unless the URL ends in a version", () => {
  assertEquals(
    openaiBaseUrl("https://api.openai.com"),
    "https://api.openai.com/v1",
  );
  assertEquals(
    openaiBaseUrl("https://cloud-api.near.ai/v1"),
    "https://cloud-api.near.ai/v1",
  );
  assertEquals(
    openaiBaseUrl("https://api.venice.ai/api"),
    "https://api.venice.ai/api/v1",
  );
});
