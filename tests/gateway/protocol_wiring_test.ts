/**
 * The WebSocket protocol as the composition root wires it: the real
 * authenticator, pairing registry, config methods and control API, driven by
 * a real WebSocket client against startGateway().
 */
import { startGateway } from "../../gateway/start_gateway.ts";
import { signDeviceProof } from "../../gateway/protocol/device_signature.ts";
import { assert, assertEquals, isolatedEnv, tempDir } from "../_helpers.ts";
import { type Frame, TestClient } from "./protocol/_helpers.ts";

const TOKEN = "e2e-gateway-token-0123456789abcdef";

async function deviceConnect(
  url: string,
  keys: CryptoKeyPair,
  options: { headers?: Record<string, string>; scopes?: string[] } = {},
): Promise<{ client: TestClient; hello: Frame }> {
  const client = options.headers
    ? new HeaderClient(url, options.headers)
    : new TestClient(url);
  const challenge = await client.event("connect.challenge");
  const nonce = (challenge.payload as { nonce: string }).nonce;
  const scopes = options.scopes ?? ["operator.admin"];
  const device = await signDeviceProof(keys, {
    clientId: "cli",
    clientMode: "cli",
    role: "operator",
    scopes,
    signedAtMs: Date.now(),
    token: TOKEN,
    nonce,
  });
  const hello = await client.request("connect", {
    minProtocol: 3,
    maxProtocol: 3,
    client: { id: "cli", version: "1.0.0", platform: "linux", mode: "cli" },
    role: "operator",
    scopes,
    auth: { token: TOKEN },
    device,
  });
  return { client, hello };
}

/** A TestClient whose upgrade request carries extra headers (Deno's WebSocket option). */
class HeaderClient extends TestClient {
  constructor(url: string, headers: Record<string, string>) {
    super(url, { headers });
  }
}

function gatewayEnv(dir: string): Record<string, string> {
  return isolatedEnv(dir, { CARAPACE_GATEWAY_TOKEN: TOKEN });
}

async function newKeys(): Promise<CryptoKeyPair> {
  return await crypto.subtle.generateKey("Ed25519", true, [
    "sign",
    "verify",
  ]) as CryptoKeyPair;
}

Deno.test("the wired gateway pairs a local device on connect and serves every advertised method family", async () => {
  using dir = tempDir();
  await using gateway = await startGateway({
    env: gatewayEnv(dir.path),
    port: 0,
  });
  const wsUrl = gateway.url.replace("http", "ws") + "/ws";
  const { client, hello } = await deviceConnect(wsUrl, await newKeys());
  await using _client = client;
  assertEquals(hello.ok, true, JSON.stringify(hello));
  const payload = hello.payload as {
    type: string;
    features: { methods: string[]; events: string[] };
    auth?: { deviceToken: string };
  };
  assertEquals(payload.type, "hello-ok");
  for (
    const method of [
      "health",
      "status",
      "logs.tail",
      "config.get",
      "device.pair.list",
      "node.pair.request",
    ]
  ) {
    assert(payload.features.methods.includes(method), method);
  }
  assert(payload.features.events.includes("config.changed"));
  assert(typeof payload.auth?.deviceToken === "string");

  const health = await client.request("health");
  assertEquals(health.ok, true);
  const tail = await client.request("logs.tail", { limit: 5 });
  assertEquals(tail.ok, true);
  const config = await client.request("config.get", {});
  assertEquals(config.ok, true);
  const pairs = await client.request("device.pair.list", {});
  assertEquals((pairs.payload as { paired: unknown[] }).paired.length, 1);
});

Deno.test("the wired gateway refuses an unpaired remote device, then admits it after operator approval", async () => {
  using dir = tempDir();
  await using gateway = await startGateway({
    env: gatewayEnv(dir.path),
    port: 0,
  });
  const wsUrl = gateway.url.replace("http", "ws") + "/ws";
  const remote = { "x-forwarded-for": "203.0.113.7" };
  const remoteKeys = await newKeys();

  const first = await deviceConnect(wsUrl, remoteKeys, { headers: remote });
  await using _first = first.client;
  assertEquals(first.hello.ok, false);
  const error = (first.hello as unknown as {
    error: { code: string; message: string; details: { requestId: string } };
  }).error;
  assertEquals(error.code, "not_paired");
  assertEquals(error.message, "pairing required");
  assertEquals((await first.client.closed).code, 1008);

  const operator = await deviceConnect(wsUrl, await newKeys());
  await using _operator = operator.client;
  const approved = await operator.client.request("device.pair.approve", {
    requestId: error.details.requestId,
  });
  assertEquals(approved.ok, true, JSON.stringify(approved));

  const second = await deviceConnect(wsUrl, remoteKeys, { headers: remote });
  await using _second = second.client;
  assertEquals(second.hello.ok, true, JSON.stringify(second.hello));
});

Deno.test("the wired gateway rejects a wrong token with the exact message and close code", async () => {
  using dir = tempDir();
  await using gateway = await startGateway({
    env: gatewayEnv(dir.path),
    port: 0,
  });
  const client = new TestClient(gateway.url.replace("http", "ws") + "/ws");
  await using _client = client;
  await client.event("connect.challenge");
  const hello = await client.request("connect", {
    minProtocol: 3,
    maxProtocol: 3,
    client: { id: "cli", version: "1.0.0", platform: "linux", mode: "cli" },
    auth: { token: "wrong" },
  });
  assertEquals(hello.ok, false);
  assertEquals(
    (hello as unknown as { error: { message: string } }).error.message,
    "unauthorized: token mismatch",
  );
  assertEquals((await client.closed).code, 1008);
});

Deno.test("the wired gateway sends a shutdown event to connected clients on graceful stop", async () => {
  using dir = tempDir();
  const gateway = await startGateway({ env: gatewayEnv(dir.path), port: 0 });
  const { client, hello } = await deviceConnect(
    gateway.url.replace("http", "ws") + "/ws",
    await newKeys(),
  );
  assertEquals(hello.ok, true);
  const stopping = gateway.shutdown();
  const event = await client.event("shutdown");
  assertEquals(
    (event.payload as { reason: string }).reason,
    "gateway stopping",
  );
  await client.closed;
  await stopping;
});

Deno.test("the wired gateway serves /control/status only when gateway.control.enabled, behind service auth", async () => {
  using dir = tempDir();
  await Deno.writeTextFile(
    `${dir.path}/carapace.json5`,
    `{ gateway: { control: { enabled: true } } }`,
  );
  await using gateway = await startGateway({
    env: gatewayEnv(dir.path),
    port: 0,
  });
  const denied = await fetch(`${gateway.url}/control/status`);
  assertEquals(denied.status, 401);
  await denied.body?.cancel();
  const allowed = await fetch(`${gateway.url}/control/status`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  assertEquals(allowed.status, 200);
  assertEquals((await allowed.json()).ok, true);
});
