import { createProviderRegistry } from "../../../gateway/providers/registry.ts";
import { providerSettings } from "../../../gateway/providers/settings.ts";
import type {
  Provider,
  ProviderRequest,
} from "../../../gateway/providers/types.ts";
import {
  isGlobalModel,
  vertexProvider,
} from "../../../gateway/providers/vertex.ts";
import type { AccessTokenSource } from "../../../gateway/providers/vertex_token.ts";
import { anthropicWire } from "../../fakes/anthropic_messages.ts";
import { geminiStreamWire } from "../../fakes/gemini_stream.ts";
import { startLlmPeer } from "../../fakes/llm_peer.ts";
import { gcloudCalls, writeFakeGcloud } from "../../fakes/vertex_gcloud.ts";
import { assert, assertEquals, tempDir } from "../../_helpers.ts";
import { collect, runConformance } from "./_conformance.ts";
import { configOf } from "./_helpers.ts";

/** A token source that hands out numbered tokens and counts invalidations. */
function countingTokens(): AccessTokenSource & { dropped: number } {
  let issued = 0;
  return {
    dropped: 0,
    token: () => Promise.resolve(`ya29.token-${++issued}`),
    invalidate() {
      this.dropped++;
    },
  };
}

function build(
  origin: string,
  extra: Record<string, string> = {},
  tokens: AccessTokenSource = countingTokens(),
): Provider {
  return vertexProvider({
    baseUrl: origin,
    options: { projectId: "p1", location: "us-central1", ...extra },
  }, { env: {}, tokens });
}

function ask(model: string): ProviderRequest {
  return {
    model,
    system: "Be brief.",
    messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }],
    maxTokens: 16,
    signal: new AbortController().signal,
  };
}

interface GeminiPart {
  functionResponse?: {
    id?: string;
    response: { output?: string; error?: string };
  };
}

interface AnthropicMessage {
  content: {
    type: string;
    tool_use_id?: string;
    content?: string;
    is_error?: boolean;
  }[];
}

runConformance({
  name: "vertex (gemini)",
  wire: geminiStreamWire,
  build: (origin) => build(origin),
  overloadStatus: 503,
  toolResults: (body) =>
    (body as { contents: { parts: GeminiPart[] }[] }).contents
      .flatMap((c) => c.parts)
      .flatMap((p) => p.functionResponse ? [p.functionResponse] : [])
      .map((r) => ({
        id: r.id ?? "",
        content: r.response.error ?? r.response.output ?? "",
        isError: r.response.error !== undefined,
      })),
});

runConformance({
  name: "vertex (anthropic)",
  wire: anthropicWire,
  build(origin) {
    const vertex = build(origin);
    return {
      id: "vertex",
      stream: (r) =>
        vertex.stream({
          ...r,
          model: `publishers/anthropic/models/${r.model}`,
        }),
    };
  },
  overloadStatus: 529,
  toolResults: (body) =>
    (body as { messages: AnthropicMessage[] }).messages
      .flatMap((m) => m.content)
      .filter((b) => b.type === "tool_result")
      .map((b) => ({
        id: b.tool_use_id ?? "",
        content: b.content ?? "",
        isError: b.is_error === true,
      })),
});

Deno.test("vertex stream() posts Gemini requests to streamGenerateContent with the bearer token", async () => {
  await using peer = startLlmPeer(geminiStreamWire);
  peer.script({ kind: "stream", text: ["hi"] }, {
    kind: "stream",
    text: ["x"],
  });
  const provider = build(peer.origin);
  await collect(provider.stream(ask("gemini-2.5-flash")));
  await collect(
    provider.stream(ask("publishers/google/models/gemini-2.5-pro")),
  );
  const [first, second] = peer.requests;
  assertEquals(
    first?.path,
    "/v1/projects/p1/locations/us-central1/publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
  );
  assertEquals(first?.headers.get("authorization"), "Bearer ya29.token-1");
  const body = first?.body as {
    systemInstruction: { parts: { text: string }[] };
    generationConfig: { maxOutputTokens: number };
  };
  assertEquals(body.systemInstruction.parts[0]?.text, "Be brief.");
  assertEquals(body.generationConfig.maxOutputTokens, 16);
  assert(second?.path.includes("/models/gemini-2.5-pro:streamGenerateContent"));
});

Deno.test("vertex stream() posts Claude requests to streamRawPredict with vertex-2023-10-16", async () => {
  await using peer = startLlmPeer(anthropicWire);
  peer.script({
    kind: "stream",
    text: ["Hello"],
    usage: { input: 3, output: 1 },
  });
  const { events, error } = await collect(
    build(peer.origin).stream(
      ask("publishers/anthropic/models/claude-sonnet-4-5@20250929"),
    ),
  );
  assertEquals(error, undefined);
  assertEquals(events, [
    { type: "text", delta: "Hello" },
    { type: "usage", inputTokens: 3, outputTokens: 1 },
    { type: "stop", reason: "end_turn" },
  ]);
  const seen = peer.requests[0];
  assertEquals(
    seen?.path,
    "/v1/projects/p1/locations/us-central1/publishers/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict",
  );
  const body = seen?.body as Record<string, unknown>;
  assertEquals([body.model, body.anthropic_version, body.stream], [
    undefined,
    "vertex-2023-10-16",
    true,
  ]);
});

Deno.test("vertex stream() maps an in-stream Anthropic overloaded_error event to overloaded", async () => {
  await using peer = startLlmPeer(anthropicWire);
  peer.script({
    kind: "stream_error",
    text: ["Hi"],
    errorType: "overloaded_error",
    message: "Overloaded",
  });
  const { events, error } = await collect(
    build(peer.origin).stream(ask("publishers/anthropic/models/claude-x")),
  );
  assertEquals(events, [{ type: "text", delta: "Hi" }]);
  assertEquals([error?.failure, error?.retryable], ["overloaded", true]);
});

Deno.test("vertex stream() reads vertex:default as VERTEX_MODEL and says what to set without one", async () => {
  await using peer = startLlmPeer(geminiStreamWire);
  peer.script({ kind: "stream", text: ["a"] });
  await collect(
    build(peer.origin, { model: "gemini-2.5-flash" }).stream(ask("default")),
  );
  assert(peer.requests[0]?.path.includes("/models/gemini-2.5-flash:"));
  const { error } = await collect(build(peer.origin).stream(ask("default")));
  assertEquals(
    error?.message,
    `Cannot call "vertex:default": no default Vertex model is set; set VERTEX_MODEL or vertex.model`,
  );
  assertEquals(peer.requests.length, 1);
});

Deno.test("vertex stream() sends globalModels to the global location", async () => {
  await using peer = startLlmPeer(geminiStreamWire);
  peer.script({ kind: "stream", text: ["a"] }, { kind: "stream", text: ["b"] });
  const provider = build(peer.origin, { globalModels: "gemini-3*, exact-1" });
  await collect(provider.stream(ask("gemini-3-pro-preview")));
  await collect(provider.stream(ask("exact-1")));
  assertEquals(
    peer.requests.map((r) => r.path.split("/publishers")[0]),
    ["/v1/projects/p1/locations/global", "/v1/projects/p1/locations/global"],
  );
  assertEquals(isGlobalModel("gemini-2.5-pro", ["gemini-3*"]), false);
  assertEquals(isGlobalModel("anything", ["*"]), false);
  assertEquals(isGlobalModel("gemini-3-flash", []), false);
});

Deno.test("vertex stream() refuses unknown publishers and odd model ids before calling out", async () => {
  await using peer = startLlmPeer(geminiStreamWire);
  const provider = build(peer.origin);
  const meta = await collect(
    provider.stream(ask("publishers/meta/models/llama-4")),
  );
  assertEquals(meta.error?.failure, "bad_request");
  assertEquals(
    meta.error?.message,
    `Cannot call vertex model "publishers/meta/models/llama-4": publisher "meta" is not supported; use "google" or "anthropic"`,
  );
  const odd = await collect(provider.stream(ask("../../secrets")));
  assertEquals(odd.error?.failure, "bad_request");
  assertEquals(peer.requests.length, 0);
});

Deno.test("vertex stream() drops the cached token when Vertex answers 401", async () => {
  await using peer = startLlmPeer(geminiStreamWire);
  peer.script({ kind: "http_error", status: 401, message: "expired" }, {
    kind: "stream",
    text: ["ok"],
  });
  const tokens = countingTokens();
  const provider = build(peer.origin, {}, tokens);
  assertEquals(
    (await collect(provider.stream(ask("m")))).error?.failure,
    "auth",
  );
  assertEquals(tokens.dropped, 1);
  assertEquals((await collect(provider.stream(ask("m")))).error, undefined);
});

Deno.test("vertex stream() takes the 429 retry hint from RetryInfo", async () => {
  await using peer = startLlmPeer(geminiStreamWire);
  peer.script({ kind: "http_error", status: 429, message: "quota" });
  const { error } = await collect(build(peer.origin).stream(ask("m")));
  assertEquals([error?.failure, error?.retryAfterMs], ["rate_limited", 2000]);
});

Deno.test("createProviderRegistry() sends gemini: to Vertex with a gcloud token when Gemini is not configured", async () => {
  using dir = tempDir();
  writeFakeGcloud(dir.path, { kind: "token", token: "ya29.cli" });
  await using peer = startLlmPeer(geminiStreamWire);
  peer.script({ kind: "stream", text: ["via vertex"] });
  const registry = createProviderRegistry(
    configOf({ vertex: { projectId: "proj-9", location: "europe-west4" } }),
    { VERTEX_BASE_URL: peer.origin, PATH: `${dir.path}:/usr/bin:/bin` },
    { retry: false },
  );
  assertEquals(registry.configured(), ["vertex"]);
  const { provider, model } = registry.resolve("gemini:gemini-2.5-flash");
  assertEquals([provider.id, model], ["vertex", "gemini-2.5-flash"]);
  const { events, error } = await collect(provider.stream(ask(model)));
  assertEquals([error, events[0]], [undefined, {
    type: "text",
    delta: "via vertex",
  }]);
  assertEquals(
    peer.requests[0]?.headers.get("authorization"),
    "Bearer ya29.cli",
  );
  assert(
    peer.requests[0]?.path.startsWith(
      "/v1/projects/proj-9/locations/europe-west4/publishers/google/models/gemini-2.5-flash:",
    ),
  );
  assertEquals(gcloudCalls(dir.path), 1);
});

Deno.test("createProviderRegistry() passes the gcloud timeout from CARAPACE_GCLOUD_TOKEN_TIMEOUT_MS", async () => {
  using dir = tempDir();
  writeFakeGcloud(dir.path, { kind: "hang" });
  const registry = createProviderRegistry(configOf({}), {
    VERTEX_PROJECT_ID: "p1",
    VERTEX_BASE_URL: "http://127.0.0.1:1",
    CARAPACE_GCLOUD_TOKEN_TIMEOUT_MS: "600",
    GCE_METADATA_HOST: "127.0.0.1:1",
    PATH: `${dir.path}:/usr/bin:/bin`,
  }, { retry: false });
  const { provider, model } = registry.resolve("vertex:gemini-2.5-flash");
  const { error } = await collect(provider.stream(ask(model)));
  assertEquals(error?.failure, "auth");
  assert(
    error?.message.includes(`"gcloud" did not answer within 600 ms`),
    String(error?.message),
  );
});

Deno.test("providerSettings() gives vertex its project, location, model, globalModels and gcloud timeout", () => {
  const config = configOf({
    vertex: {
      projectId: "p1",
      model: "gemini-2.5-pro",
      globalModels: [],
      gcloudTokenTimeoutMs: 2500,
    },
  });
  assertEquals(providerSettings("vertex", config, {}), {
    configured: true,
    settings: {
      baseUrl: "https://us-central1-aiplatform.googleapis.com",
      options: {
        projectId: "p1",
        location: "us-central1",
        gcloudTokenTimeoutMs: "2500",
        globalModels: "",
        model: "gemini-2.5-pro",
      },
    },
  });
  const fromEnv = providerSettings("vertex", config, {
    VERTEX_LOCATION: "europe-west4",
    VERTEX_MODEL: "gemini-2.5-flash",
    VERTEX_GLOBAL_MODELS: "gemini-3*",
    CARAPACE_GCLOUD_TOKEN_TIMEOUT_MS: "900",
  });
  assertEquals(
    fromEnv.configured && fromEnv.settings.options,
    {
      projectId: "p1",
      location: "europe-west4",
      gcloudTokenTimeoutMs: "900",
      globalModels: "gemini-3*",
      model: "gemini-2.5-flash",
    },
  );
});
