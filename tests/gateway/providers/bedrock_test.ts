import { bedrockProvider } from "../../../gateway/providers/bedrock.ts";
import { createProviderRegistry } from "../../../gateway/providers/registry.ts";
import type { ProviderRequest } from "../../../gateway/providers/types.ts";
import {
  FAKE_AWS_KEYS,
  startBedrockPeer,
} from "../../fakes/bedrock_runtime.ts";
import { bedrockStreamWire } from "../../fakes/bedrock_eventstream.ts";
import { assert, assertEquals } from "../../_helpers.ts";
import { collect, runConformance } from "./_conformance.ts";
import { configOf } from "./_helpers.ts";

interface WireMessage {
  content: {
    type: string;
    tool_use_id?: string;
    content?: string;
    is_error?: boolean;
  }[];
}

function build(origin: string, extra: Record<string, string> = {}) {
  return bedrockProvider({
    baseUrl: origin,
    options: {
      region: FAKE_AWS_KEYS.region,
      accessKeyId: FAKE_AWS_KEYS.accessKeyId,
      secretAccessKey: FAKE_AWS_KEYS.secretAccessKey,
      ...extra,
    },
  });
}

function ask(
  model = "anthropic.claude-sonnet-4-5-20250929-v1:0",
): ProviderRequest {
  return {
    model,
    system: "Be brief.",
    messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }],
    maxTokens: 32,
    signal: new AbortController().signal,
  };
}

runConformance({
  name: "bedrock",
  wire: bedrockStreamWire,
  startPeer: () => startBedrockPeer(),
  build: (origin) => build(origin),
  overloadStatus: 503,
  toolResults: (body) =>
    (body as { messages: WireMessage[] }).messages.flatMap((m) => m.content)
      .filter((b) => b.type === "tool_result")
      .map((b) => ({
        id: b.tool_use_id ?? "",
        content: b.content ?? "",
        isError: b.is_error === true,
      })),
});

Deno.test("bedrock stream() signs invoke-with-response-stream with SigV4 and the session token", async () => {
  await using peer = startBedrockPeer({
    ...FAKE_AWS_KEYS,
    sessionToken: "session-token-1",
  });
  peer.script({ kind: "stream", text: ["signed"] });
  const { events, error } = await collect(
    build(peer.origin, { sessionToken: "session-token-1" }).stream(ask()),
  );
  assertEquals([error, peer.rejected, peer.verified], [undefined, [], 1]);
  assertEquals(events[0], { type: "text", delta: "signed" });
  const seen = peer.requests[0];
  assertEquals(
    seen?.path,
    "/model/anthropic.claude-sonnet-4-5-20250929-v1:0/invoke-with-response-stream",
  );
  const body = seen?.body as Record<string, unknown>;
  assertEquals([body.model, body.stream], [undefined, undefined]);
  assertEquals(body.anthropic_version, "bedrock-2023-05-31");
  assertEquals(body.system, "Be brief.");
  assertEquals(seen?.headers.get("x-api-key"), null);
});

Deno.test("bedrock stream() fails with auth when the secret key does not match", async () => {
  await using peer = startBedrockPeer();
  const provider = build(peer.origin, { secretAccessKey: "wrong-secret" });
  const { error } = await collect(provider.stream(ask()));
  assertEquals([error?.failure, error?.status], ["auth", 403]);
  assertEquals(peer.rejected, ["signature mismatch"]);
  assert(
    error?.message.includes("signature we calculated does not match"),
    String(error?.message),
  );
  assert(!error?.message.includes("wrong-secret"), "the secret stays out");
});

Deno.test("bedrock stream() maps in-stream AWS exceptions to failure kinds", async () => {
  await using peer = startBedrockPeer();
  const cases = [
    ["throttlingException", "rate_limited"],
    ["serviceUnavailableException", "overloaded"],
    ["modelStreamErrorException", "server"],
    ["validationException", "bad_request"],
  ];
  for (const [exception] of cases) {
    peer.script({
      kind: "stream_error",
      text: ["x"],
      errorType: exception!,
      message: `${exception} happened`,
    });
  }
  const seen = [];
  for (const [exception] of cases) {
    const { error } = await collect(build(peer.origin).stream(ask()));
    assert(
      error?.message.includes(`${exception} happened`),
      String(error?.message),
    );
    seen.push([exception, error?.failure]);
  }
  assertEquals(seen, cases);
});

Deno.test("createProviderRegistry() builds bedrock from AWS env and resolves bedrock:anthropic.<id>", async () => {
  await using peer = startBedrockPeer();
  peer.script({ kind: "stream", text: ["via registry"] });
  const registry = createProviderRegistry(configOf({}), {
    AWS_DEFAULT_REGION: FAKE_AWS_KEYS.region,
    AWS_ACCESS_KEY_ID: FAKE_AWS_KEYS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: FAKE_AWS_KEYS.secretAccessKey,
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: `${peer.origin}/`,
  }, { retry: false });
  assertEquals(registry.configured(), ["bedrock"]);
  const { provider, model } = registry.resolve(
    "bedrock:anthropic.claude-3-5-haiku-20241022-v1:0",
  );
  assertEquals(model, "anthropic.claude-3-5-haiku-20241022-v1:0");
  const { events, error } = await collect(provider.stream(ask(model)));
  assertEquals([error, events[0]], [undefined, {
    type: "text",
    delta: "via registry",
  }]);
  assertEquals(peer.verified, 1);
});
