import { geminiProvider } from "../../../gateway/providers/gemini.ts";
import { startLlmPeer } from "../../fakes/llm_peer.ts";
import { geminiStreamWire } from "../../fakes/gemini_stream.ts";
import { assertEquals } from "../../_helpers.ts";
import { collect, runConformance } from "./_conformance.ts";

interface WirePart {
  functionResponse?: {
    id?: string;
    name: string;
    response: { output?: string; error?: string };
  };
}

runConformance({
  name: "gemini",
  wire: geminiStreamWire,
  build: (origin) => geminiProvider({ apiKey: "AIza-test", baseUrl: origin }),
  overloadStatus: 503,
  toolResults: (body) =>
    (body as { contents: { parts: WirePart[] }[] }).contents.flatMap((c) =>
      c.parts
    )
      .flatMap((p) => p.functionResponse ? [p.functionResponse] : [])
      .map((r) => ({
        id: r.id ?? "",
        content: r.response.error ?? r.response.output ?? "",
        isError: r.response.error !== undefined,
      })),
});

Deno.test("gemini stream() calls streamGenerateContent with alt=sse, the key and the system instruction", async () => {
  await using peer = startLlmPeer(geminiStreamWire);
  peer.script({ kind: "stream", text: ["hi"] });
  const provider = geminiProvider({
    apiKey: "AIza-test",
    baseUrl: peer.origin,
  });
  await collect(provider.stream({
    model: "gemini-2.5-flash",
    system: "Be brief.",
    messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }],
    maxTokens: 9,
    signal: new AbortController().signal,
  }));
  const seen = peer.requests[0];
  assertEquals(
    seen?.path.startsWith(
      "/v1/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
    ),
    true,
  );
  assertEquals(seen?.headers.get("x-goog-api-key"), "AIza-test");
  const body = seen?.body as {
    systemInstruction: unknown;
    generationConfig: { maxOutputTokens: number };
  };
  assertEquals(
    JSON.stringify(body.systemInstruction).includes("Be brief."),
    true,
  );
  assertEquals(body.generationConfig.maxOutputTokens, 9);
});
