import { Hono } from "hono";
import { FailedAuthLimiter } from "../../../gateway/auth/failed_auth_limiter.ts";
import { serviceAuth } from "../../../gateway/auth/http_service_auth.ts";
import { configSchema } from "../../../gateway/config/mod.ts";
import { openaiCompatRoutes } from "../../../gateway/openai_compat/routes.ts";
import { ProviderError } from "../../../gateway/providers/types.ts";
import { RoutingError } from "../../../gateway/providers/routing_error.ts";
import type { GatewayEnv } from "../../../gateway/server/client_address.ts";
import { assert, assertEquals, assertMatch } from "../../_helpers.ts";
import { registryOf, scriptedProvider } from "./_scripted_provider.ts";

const TOKEN = "svc-token-1234";
const SCRIPT = [
  { type: "text" as const, delta: "Hello" },
  { type: "text" as const, delta: ", world" },
  { type: "usage" as const, inputTokens: 7, outputTokens: 3 },
  { type: "stop" as const, reason: "end_turn" as const },
];

function serve(
  raw: Record<string, unknown>,
  provider = scriptedProvider(SCRIPT),
  resolve?: (ref: string) => never,
) {
  const config = configSchema.parse({
    gateway: {
      auth: { mode: "token", token: TOKEN },
      openai: { chatCompletions: true, responses: true },
    },
    ...raw,
  });
  const app = new Hono<GatewayEnv>();
  openaiCompatRoutes({
    config: () => config,
    providers: resolve === undefined ? registryOf(provider) : { resolve },
    auth: serviceAuth({
      config: () => config,
      env: {},
      limiter: new FailedAuthLimiter(),
    }),
  })(app);
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    app.fetch,
  );
  return {
    provider,
    baseURL: `http://127.0.0.1:${server.addr.port}/v1`,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

async function sdk(baseURL: string, apiKey = TOKEN) {
  const { default: OpenAI } = await import("openai");
  return new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 5000 });
}

const DEFAULTS = { agents: { defaults: { model: "openai:gpt-test" } } };

Deno.test("POST /v1/chat/completions answers the openai SDK without streaming, with usage and the default agent's model", async () => {
  await using gw = serve({
    agents: {
      defaults: { model: "openai:gpt-test" },
      list: [{ id: "main", default: true, system: "Be brief.", maxTokens: 99 }],
    },
  });
  const client = await sdk(gw.baseURL);
  const answer = await client.chat.completions.create({
    model: "carapace",
    messages: [{ role: "system", content: "Extra." }, {
      role: "user",
      content: "Hi",
    }],
  });
  assertEquals(answer.choices[0]?.message.content, "Hello, world");
  assertEquals(answer.choices[0]?.finish_reason, "stop");
  assertEquals(answer.usage?.total_tokens, 10);
  assertEquals(answer.model, "carapace");
  const sent = gw.provider.requests[0]!;
  assertEquals(sent.model, "gpt-test");
  assertEquals(sent.system, "Be brief.\n\nExtra.");
  assertEquals(sent.maxTokens, 99);
  assertEquals(sent.messages, [{
    role: "user",
    content: [{ type: "text", text: "Hi" }],
  }]);
});

Deno.test("POST /v1/chat/completions streams SSE chunks to the openai SDK and ends with [DONE]", async () => {
  await using gw = serve(DEFAULTS);
  const client = await sdk(gw.baseURL);
  const stream = await client.chat.completions.create({
    model: "openai:gpt-test",
    messages: [{ role: "user", content: "Hi" }],
    stream: true,
    max_tokens: 50,
  });
  let text = "";
  let finish: string | null = null;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta.content ?? "";
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  assertEquals(text, "Hello, world");
  assertEquals(finish, "stop");
  assertEquals(gw.provider.requests[0]?.maxTokens, 50);
  const raw = await fetch(`${gw.baseURL}/chat/completions`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${TOKEN}`,
      "content-type": "application/json",
    },
    body: JSON.stringify({
      model: "carapace",
      stream: true,
      messages: [{ role: "user", content: "x" }],
    }),
  });
  assertMatch(raw.headers.get("content-type") ?? "", /text\/event-stream/);
  const body = await raw.text();
  assert(body.endsWith("data: [DONE]\n\n"), body);
});

Deno.test("POST /v1/responses answers the openai SDK for a string input and for an item array, streaming and not", async () => {
  await using gw = serve(DEFAULTS);
  const client = await sdk(gw.baseURL);
  const response = await client.responses.create({
    model: "carapace",
    input: "Hi",
    instructions: "Be brief.",
  });
  assertEquals(response.output_text, "Hello, world");
  assertEquals(response.status, "completed");
  assertEquals(response.usage?.output_tokens, 3);
  assertEquals(gw.provider.requests[0]?.system, "Be brief.");
  const stream = await client.responses.create({
    model: "openai:gpt-test",
    input: [
      { role: "user", content: "one" },
      { type: "function_call_output", call_id: "c1", output: "ignored" },
      { role: "assistant", content: "two" },
      { role: "user", content: [{ type: "input_text", text: "three" }] },
    ],
    stream: true,
  });
  let text = "";
  let done = "";
  for await (const event of stream) {
    if (event.type === "response.output_text.delta") text += event.delta;
    if (event.type === "response.completed") done = event.response.status ?? "";
  }
  assertEquals([text, done], ["Hello, world", "completed"]);
  assertEquals(gw.provider.requests[1]?.messages.length, 3);
});

Deno.test("POST /v1/chat/completions answers 401 without the gateway token and 404 when disabled", async () => {
  await using gw = serve(DEFAULTS);
  const client = await sdk(gw.baseURL, "wrong");
  const error = await client.chat.completions.create({
    model: "carapace",
    messages: [{ role: "user", content: "Hi" }],
  }).then(() => null, (e: { status?: number }) => e);
  assertEquals(error?.status, 401);
  await using off = serve({
    gateway: { auth: { mode: "token", token: TOKEN } },
  });
  const res = await fetch(`${off.baseURL}/responses`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}` },
    body: "{}",
  });
  assertEquals(res.status, 404);
  assertMatch((await res.json()).error.message, /gateway\.openai\.responses/);
});

Deno.test("POST /v1/chat/completions maps bad input and provider failures to OpenAI error shapes", async () => {
  const post = (url: string, body: unknown) =>
    fetch(`${url}/chat/completions`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${TOKEN}`,
        "content-type": "application/json",
      },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }).then(async (r) => [r.status, (await r.json()).error] as const);
  const hi = [{ role: "user", content: "Hi" }];
  {
    await using gw = serve({});
    assertEquals((await post(gw.baseURL, "{not json"))[0], 400);
    assertEquals(
      (await post(gw.baseURL, { model: "openai:gpt-test", messages: [] }))[0],
      400,
    );
    const [status, error] = await post(gw.baseURL, {
      model: "gpt-4o",
      messages: hi,
    });
    assertEquals([status, error.type], [400, "invalid_request_error"]);
    assertMatch(error.message, /did you mean "openai:gpt-4o"/);
    const [alias, aliasError] = await post(gw.baseURL, {
      model: "carapace",
      messages: hi,
    });
    assertEquals([alias, aliasError.code], [422, "missing_model"]);
    assertEquals(
      (await post(gw.baseURL, { model: "agent:ghost", messages: hi }))[0],
      404,
    );
    const huge = JSON.stringify({
      model: "carapace",
      messages: [{ role: "user", content: "x".repeat(4 * 1024 * 1024) }],
    });
    assertEquals((await post(gw.baseURL, huge))[0], 413);
  }
  {
    await using gw = serve(DEFAULTS, undefined, () => {
      throw new RoutingError(
        "provider_not_configured",
        'Cannot use model: provider "openai" is not configured',
      );
    });
    const [status, error] = await post(gw.baseURL, {
      model: "carapace",
      messages: hi,
    });
    assertEquals([status, error.type, error.code], [
      503,
      "api_error",
      "provider_not_configured",
    ]);
  }
  {
    const failing = scriptedProvider(
      [],
      new ProviderError("openai", "rate_limited", "Rate limited by openai"),
    );
    await using gw = serve(DEFAULTS, failing);
    const [status, error] = await post(gw.baseURL, {
      model: "carapace",
      messages: hi,
      stream: true,
    });
    assertEquals([status, error.type], [429, "rate_limit_error"]);
  }
});
