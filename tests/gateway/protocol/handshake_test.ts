import { assert, assertEquals, assertMatch } from "../../_helpers.ts";
import { ConnectRefused } from "../../../gateway/protocol/errors.ts";
import { signDeviceProof } from "../../../gateway/protocol/device_signature.ts";
import {
  connectParamsFor,
  startWsGateway,
  TEST_TOKEN,
  TestClient,
} from "./_helpers.ts";

const ECHO = (name: string) => ({
  name,
  scope: "operator.read" as const,
  handler: () => ({ echoed: name }),
});

Deno.test("wsRoute() sends connect.challenge with a uuid v4 nonce and no seq on open", async () => {
  await using gw = await startWsGateway();
  await using client = new TestClient(gw.url);
  const challenge = await client.event("connect.challenge");
  const payload = challenge.payload as { nonce: string; ts: number };
  assertMatch(
    payload.nonce,
    /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  );
  assert(Math.abs(payload.ts - Date.now()) < 5000);
  assertEquals("seq" in challenge, false);
});

Deno.test("handshake answers hello-ok with methods, events, snapshot and policy", async () => {
  await using gw = await startWsGateway({
    methods: () => [ECHO("health")],
    events: ["presence"],
  });
  await using client = new TestClient(gw.url);
  const res = await client.connect();
  assertEquals(res.ok, true);
  const hello = res.payload as Record<string, unknown>;
  assertEquals(hello.type, "hello-ok");
  assertEquals(hello.protocol, 3);
  const server = hello.server as Record<string, unknown>;
  assertEquals(server.version, "9.9.9");
  assertEquals(server.commit, "abc1234");
  assertEquals(server.host, "test-host");
  assertMatch(server.connId as string, /^[0-9a-f-]{36}$/);
  assertEquals(hello.features, {
    methods: ["health"],
    events: ["connect.challenge", "tick", "shutdown", "state.drop", "presence"],
  });
  const snapshot = hello.snapshot as Record<string, unknown>;
  assertEquals(snapshot.presence, []);
  assertEquals(snapshot.stateVersion, { presence: 0, health: 0 });
  assert(typeof snapshot.uptimeMs === "number");
  assertEquals(hello.policy, {
    maxPayload: 524288,
    maxBroadcastPayload: 1048576,
    maxBufferedBytes: 1572864,
    tickIntervalMs: 30000,
  });
  assertEquals("auth" in hello, false);
  assertEquals((await client.request("health")).payload, { echoed: "health" });
});

Deno.test("handshake returns auth with the issued device token and effective scopes", async () => {
  await using gw = await startWsGateway({
    authenticate: ({ params }) =>
      Promise.resolve({
        role: params.role,
        scopes: params.scopes,
        deviceId: "d".repeat(64),
        localDirect: true,
        method: "local",
        deviceToken: { token: "dev-tok", issuedAtMs: 42 },
      }),
  });
  await using client = new TestClient(gw.url);
  const res = await client.connect({ scopes: [] });
  assertEquals((res.payload as Record<string, unknown>).auth, {
    deviceToken: "dev-tok",
    role: "operator",
    scopes: ["operator.admin"],
    issuedAtMs: 42,
  });
});

Deno.test("handshake defaults operator scopes to operator.admin before the authenticator and the signature check", async () => {
  let seen: string[] = [];
  await using gw = await startWsGateway({
    authenticate: ({ params }) => {
      seen = params.scopes;
      return Promise.resolve({
        role: params.role,
        scopes: params.scopes,
        deviceId: null,
        localDirect: false,
        method: "token",
      });
    },
  });
  await using a = new TestClient(gw.url);
  await a.connect();
  assertEquals(seen, ["operator.admin"]);
  await using b = new TestClient(gw.url);
  await b.connect({ role: "node" });
  assertEquals(seen, []);
});

Deno.test("handshake accepts a signed v2 device proof over the defaulted scopes", async () => {
  await using gw = await startWsGateway();
  await using client = new TestClient(gw.url);
  const challenge = await client.event("connect.challenge");
  const nonce = (challenge.payload as { nonce: string }).nonce;
  const keys = await crypto.subtle.generateKey("Ed25519", true, [
    "sign",
    "verify",
  ]) as CryptoKeyPair;
  const device = await signDeviceProof(keys, {
    clientId: "test",
    clientMode: "test",
    role: "operator",
    scopes: ["operator.admin"],
    signedAtMs: Date.now(),
    token: TEST_TOKEN,
    nonce,
  });
  const ok = await client.request("connect", connectParamsFor({ device }));
  assertEquals(ok.ok, true);
});

async function refused(
  params: unknown,
  options: { first?: unknown } = {},
): Promise<
  { error: Record<string, unknown>; closed: { code: number; reason: string } }
> {
  await using gw = await startWsGateway();
  const client = new TestClient(gw.url);
  await client.event("connect.challenge");
  client.send(
    options.first ?? { type: "req", id: "c1", method: "connect", params },
  );
  const res = await client.next((f) => f.type === "res");
  const closed = await client.closed;
  return { error: res.error as Record<string, unknown>, closed };
}

Deno.test("handshake refuses a protocol outside the bracket with protocol mismatch and close 1002", async () => {
  for (const [min, max] of [[4, 5], [1, 2]]) {
    const { error, closed } = await refused(
      connectParamsFor({ minProtocol: min, maxProtocol: max }),
    );
    assertEquals(error, {
      code: "invalid_request",
      message: "protocol mismatch",
      retryable: false,
      details: { expectedProtocol: 3 },
    });
    assertEquals(closed, { code: 1002, reason: "protocol mismatch" });
  }
});

Deno.test("handshake refuses bad client fields with invalid connect params and close 1008", async () => {
  const client = { id: "test", version: "1", platform: "linux", mode: "test" };
  const cases: unknown[] = [
    connectParamsFor({ minProtocol: 0 }),
    connectParamsFor({ maxProtocol: "3" }),
    connectParamsFor({ client: { ...client, id: "evil" } }),
    connectParamsFor({ client: { ...client, mode: "root" } }),
    connectParamsFor({ client: { ...client, version: "  " } }),
    connectParamsFor({ client: { ...client, platform: "" } }),
    connectParamsFor({ client: undefined }),
    connectParamsFor({ scopes: "operator.admin" }),
    connectParamsFor({ auth: { token: TEST_TOKEN, extra: "x" } }),
    connectParamsFor({ device: { id: "x", publicKey: "y", signature: "z" } }),
    "not an object",
  ];
  for (const params of cases) {
    const { error, closed } = await refused(params);
    assertEquals(error.code, "invalid_request");
    assertEquals(
      error.message,
      "invalid connect params",
      JSON.stringify(params),
    );
    assertEquals(closed, { code: 1008, reason: "invalid connect params" });
  }
});

Deno.test("handshake refuses an unknown role with invalid role and close 1008", async () => {
  const { error, closed } = await refused(connectParamsFor({ role: "admin" }));
  assertEquals(error.message, "invalid role");
  assertEquals(closed, { code: 1008, reason: "invalid role" });
});

Deno.test("handshake closes 1008 with the authenticator's refusal", async () => {
  const { error, closed } = await refused(
    connectParamsFor({ auth: { token: "wrong" } }),
  );
  assertEquals(error, {
    code: "invalid_request",
    message: "unauthorized: token mismatch",
    retryable: false,
  });
  assertEquals(closed, { code: 1008, reason: "unauthorized: token mismatch" });
});

Deno.test("handshake uses the close code and details of a ConnectRefused", async () => {
  await using gw = await startWsGateway({
    authenticate: () =>
      Promise.reject(
        new ConnectRefused("not_paired", "pairing required", {
          details: { details: { requestId: "req-1" } },
        }),
      ),
  });
  await using client = new TestClient(gw.url);
  const res = await client.connect();
  assertEquals(res.error, {
    code: "not_paired",
    message: "pairing required",
    retryable: false,
    details: { details: { requestId: "req-1" } },
  });
  assertEquals(await client.closed, { code: 1008, reason: "pairing required" });
});

Deno.test("handshake refuses a first request other than connect with close 1008", async () => {
  const { error, closed } = await refused(undefined, {
    first: { type: "req", id: "h1", method: "health" },
  });
  assertEquals(
    error.message,
    "invalid handshake: first request must be connect",
  );
  assertEquals(closed, {
    code: 1008,
    reason: "invalid handshake: first request must be connect",
  });
});

Deno.test("handshake answers a second connect with connect already completed and keeps the socket", async () => {
  await using gw = await startWsGateway({ methods: () => [ECHO("health")] });
  await using client = new TestClient(gw.url);
  await client.connect();
  const again = await client.request("connect", connectParamsFor());
  assertEquals(again.error, {
    code: "invalid_request",
    message: "connect already completed",
    retryable: false,
  });
  assertEquals((await client.request("health")).ok, true);
});

Deno.test("handshake closes 1000 with an empty reason when no connect arrives in time", async () => {
  await using gw = await startWsGateway({
    limits: { handshakeTimeoutMs: 150 },
  });
  const client = new TestClient(gw.url);
  await client.event("connect.challenge");
  assertEquals(await client.closed, { code: 1000, reason: "" });
  assertEquals(gw.hub.stats().connectionCount, 0);
});

Deno.test("handshake answers an internal authenticator failure with unavailable and close 1011", async () => {
  await using gw = await startWsGateway({
    authenticate: () => Promise.reject(new Error("boom")),
  });
  await using client = new TestClient(gw.url);
  const res = await client.connect();
  assertEquals((res.error as Record<string, unknown>).code, "unavailable");
  assertEquals((await client.closed).code, 1011);
});
