/**
 * The agent engine as the composition root wires it: a real gateway, the real
 * Anthropic provider (official SDK) against a loopback fake of the Messages
 * API, driven over the WebSocket protocol, the OpenAI-compatible HTTP surface
 * (official openai SDK) and `cara verify`.
 */
import { startGateway } from "../../gateway/start_gateway.ts";
import { anthropicWire } from "../fakes/anthropic_messages.ts";
import { startLlmPeer } from "../fakes/llm_peer.ts";
import {
  assert,
  assertEquals,
  isolatedEnv,
  runCaraInProcess,
  tempDir,
} from "../_helpers.ts";
import { spawnGateway } from "../cli/_gateway_process.ts";
import {
  connectedClient,
  type Frame,
  type TestClient,
} from "./protocol/_helpers.ts";

const TOKEN = "agent-e2e-token-0123456789abcdef";

function envFor(dir: string, origin: string): Record<string, string> {
  return isolatedEnv(dir, {
    CARAPACE_GATEWAY_TOKEN: TOKEN,
    CARAPACE_CREDENTIAL_STORE: "none",
    ANTHROPIC_API_KEY: "sk-ant-fake",
    ANTHROPIC_BASE_URL: origin,
  });
}

async function writeConfig(dir: string): Promise<void> {
  await Deno.writeTextFile(
    `${dir}/carapace.json5`,
    `{
      agents: { defaults: { model: "anthropic:claude-fake-1" } },
      gateway: { openai: { chatCompletions: true } },
    }`,
  );
}

function isChatFinal(frame: Frame): boolean {
  return frame.type === "event" && frame.event === "chat" &&
    (frame.payload as { state: string }).state === "final";
}

function operator(url: string): Promise<TestClient> {
  return connectedClient(`${url.replace("http", "ws")}/ws`, {
    client: { id: "cli", version: "1.0.0", platform: "linux", mode: "cli" },
    scopes: ["operator.write"],
    auth: { token: TOKEN },
  });
}

Deno.test("chat.send streams a real provider answer through the wired gateway and stores both messages", async () => {
  using dir = tempDir();
  await using peer = startLlmPeer(anthropicWire);
  peer.script({
    kind: "stream",
    text: ["Hello", " from", " the fake"],
    usage: { input: 12, output: 3 },
  });
  await writeConfig(dir.path);
  await using gateway = await startGateway({
    env: envFor(dir.path, peer.origin),
    port: 0,
  });
  const client = await operator(gateway.url);
  await using _client = client;

  const sent = await client.request("chat.send", {
    message: "hi there",
    idempotencyKey: crypto.randomUUID(),
    sessionKey: "e2e",
    stream: true,
  });
  assertEquals(sent.ok, true, JSON.stringify(sent));
  const final = await client.next(isChatFinal);
  assertEquals(
    (final.payload as { message: string }).message,
    "Hello from the fake",
  );

  const session = gateway.state.sessions.getByKey("e2e");
  assert(session !== undefined);
  const messages = gateway.state.sessions.messages.list(session!.id, {
    limit: 10,
  });
  assertEquals(messages.map((m) => [m.role, m.content]), [
    ["user", "hi there"],
    ["assistant", "Hello from the fake"],
  ]);
  const seen = peer.requests[0]!;
  assertEquals((seen.body as { model: string }).model, "claude-fake-1");
});

Deno.test("the official openai SDK completes a chat through /v1/chat/completions of the wired gateway", async () => {
  using dir = tempDir();
  await using peer = startLlmPeer(anthropicWire);
  peer.script({
    kind: "stream",
    text: ["four"],
    usage: { input: 5, output: 1 },
  });
  await writeConfig(dir.path);
  await using gateway = await startGateway({
    env: envFor(dir.path, peer.origin),
    port: 0,
  });
  const { default: OpenAI } = await import("openai");
  const client = new OpenAI({ apiKey: TOKEN, baseURL: `${gateway.url}/v1` });
  const completion = await client.chat.completions.create({
    model: "carapace",
    messages: [{ role: "user", content: "2+2?" }],
  });
  assertEquals(completion.choices[0]?.message.content, "four");
});

Deno.test("cara verify --outcome local-chat passes against a running gateway with a provider", async () => {
  using dir = tempDir();
  await using peer = startLlmPeer(anthropicWire);
  peer.script({
    kind: "stream",
    text: ["verification-ok"],
    usage: { input: 5, output: 1 },
  });
  await writeConfig(dir.path);
  const env = envFor(dir.path, peer.origin);
  await using gateway = await spawnGateway(["start", "--port", "0", "-q"], env);
  const result = await runCaraInProcess([
    "verify",
    "--outcome",
    "local-chat",
    "--port",
    String(gateway.port),
  ], env);
  assertEquals(result.code, 0, result.stdout + result.stderr);
  assert(result.stdout.includes("PASS"), result.stdout);
});

Deno.test("cara chat in a terminal talks to the real gateway and its provider", async () => {
  using dir = tempDir();
  await using peer = startLlmPeer(anthropicWire);
  peer.script(
    { kind: "stream", text: ["Hi", ", human"], usage: { input: 5, output: 2 } },
    {
      kind: "stream",
      text: ["Second", " answer"],
      usage: { input: 9, output: 2 },
    },
  );
  await writeConfig(dir.path);
  const env = { ...envFor(dir.path, peer.origin), NO_COLOR: "1" };
  await using gateway = await spawnGateway(["start", "--port", "0", "-q"], env);
  const { runCaraInPty } = await import("../cli/_pty.ts");
  const { code, output } = await runCaraInPty([
    "chat",
    "-p",
    String(gateway.port),
  ], {
    env,
    steps: [
      { wait: "> ", send: "hello\r" },
      { wait: "Hi, human", send: "and again\r" },
      { wait: "Second answer", send: "/exit\r" },
    ],
  });
  assertEquals(code, 0, output);
  // The second request carries the first exchange as history.
  const second = peer.requests[1]!.body as { messages: { role: string }[] };
  assertEquals(second.messages.map((m) => m.role), [
    "user",
    "assistant",
    "user",
  ]);
});

Deno.test("chat.send and agent answer before their run's first event, even when the provider is done first", async () => {
  using dir = tempDir();
  await using peer = startLlmPeer(anthropicWire);
  await writeConfig(dir.path);
  await using gateway = await startGateway({
    env: envFor(dir.path, peer.origin),
    port: 0,
  });
  const client = await operator(gateway.url);
  await using _client = client;
  for (const method of ["chat.send", "agent", "chat.send"]) {
    peer.script({
      kind: "stream",
      text: ["quick"],
      usage: { input: 1, output: 1 },
    });
    const id = crypto.randomUUID();
    client.frames.length = 0;
    client.sendRaw(JSON.stringify({
      type: "req",
      id,
      method,
      params: {
        message: "fast",
        idempotencyKey: crypto.randomUUID(),
        sessionKey: "order",
      },
    }));
    const deadline = Date.now() + 10_000;
    while (!client.frames.some(isChatFinal) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const order = client.frames.map((f) =>
      f.type === "res" ? `res:${f.id === id}` : `${f.event}`
    ).filter((kind) => kind !== "presence" && kind !== "tick");
    assertEquals(order[0], "res:true", `${method}: ${order.join(", ")}`);
    assert(order.includes("chat"), `${method}: ${order.join(", ")}`);
  }
  const session = gateway.state.sessions.getByKey("order");
  assertEquals(
    gateway.state.sessions.messages.list(session!.id, { limit: 10 })
      .filter((m) => m.role === "user").length,
    3,
  );
});
