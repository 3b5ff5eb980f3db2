import { assert, assertEquals } from "../../_helpers.ts";
import { connectedClient, startWsGateway, TestClient } from "./_helpers.ts";

const HEALTH = () => [{
  name: "health",
  scope: "operator.read" as const,
  handler: () => ({ ok: true }),
}];

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

Deno.test("wsRoute() closes 1008 payload too large for a text frame over 512 KiB", async () => {
  await using gw = await startWsGateway({ methods: HEALTH });
  const client = await connectedClient(gw.url);
  client.send({
    type: "req",
    id: "big",
    method: "health",
    params: "x".repeat(524_288),
  });
  assertEquals(await client.closed, {
    code: 1008,
    reason: "payload too large",
  });
});

Deno.test("wsRoute() closes 1008 for binary frames", async () => {
  await using gw = await startWsGateway({ methods: HEALTH });
  const client = await connectedClient(gw.url);
  client.sendRaw(new Uint8Array([1, 2, 3]));
  assertEquals(await client.closed, {
    code: 1008,
    reason: "binary messages not supported",
  });
});

Deno.test("wsRoute() answers invalid_request for params nested 33 deep after the handshake and accepts 32", async () => {
  await using gw = await startWsGateway({ methods: HEALTH });
  await using client = await connectedClient(gw.url);
  // The frame object itself is level 1, so params may nest 31 more levels.
  const ok = await client.request("health", nested(31));
  assertEquals(ok.ok, true);
  const deep = await client.request("health", nested(32));
  assertEquals((deep.error as Record<string, unknown>).code, "invalid_request");
  assertEquals(
    (deep.error as Record<string, unknown>).message,
    "invalid params: JSON nested deeper than 32 levels",
  );
  assertEquals((await client.request("health")).ok, true);
});

Deno.test("wsRoute() closes 1008 for a frame nested 33 deep before the handshake", async () => {
  await using gw = await startWsGateway();
  const client = new TestClient(gw.url);
  await client.event("connect.challenge");
  client.send({ type: "req", id: "c", method: "connect", params: nested(32) });
  assertEquals(await client.closed, {
    code: 1008,
    reason: "payload nested too deeply",
  });
});

Deno.test("wsRoute() honours a lower gateway.ws.maxJsonDepth", async () => {
  await using gw = await startWsGateway({
    methods: HEALTH,
    limits: { maxJsonDepth: 4 },
  });
  await using client = await connectedClient(gw.url);
  assertEquals((await client.request("health", nested(3))).ok, true);
  assertEquals((await client.request("health", nested(4))).ok, false);
});

Deno.test("wsRoute() applies the frame rules before and after the handshake", async () => {
  await using gw = await startWsGateway({ methods: HEALTH });
  const pre = [
    "not json",
    "[1,2]",
    '{"type":"req","method":"connect"}',
    '{"type":"req","id":"  ","method":"connect"}',
    '{"type":"event","id":"x","method":"connect"}',
  ];
  for (const text of pre) {
    const client = new TestClient(gw.url);
    await client.event("connect.challenge");
    client.sendRaw(text);
    assertEquals(
      await client.closed,
      { code: 1008, reason: "invalid request frame" },
      text,
    );
  }
  const noMethod = new TestClient(gw.url);
  await noMethod.event("connect.challenge");
  noMethod.sendRaw('{"type":"req","id":"m1","method":" "}');
  const res = await noMethod.next((f) => f.type === "res");
  assertEquals(res.id, "m1");
  assertEquals(
    (res.error as Record<string, unknown>).message,
    "invalid request frame",
  );
  assertEquals((await noMethod.closed).code, 1008);

  await using post = await connectedClient(gw.url);
  post.sendRaw('{"type":"event","id":"e1"}');
  const wrongType = await post.next((f) => f.id === "e1");
  assertEquals(wrongType.ok, false);
  post.sendRaw('{"type":"req","id":"e2"}');
  const missing = await post.next((f) => f.id === "e2");
  assertEquals(
    (missing.error as Record<string, unknown>).message,
    "invalid request frame",
  );
  assertEquals((await post.request("health")).ok, true);
  post.sendRaw('{"type":"req","method":"health"}');
  assertEquals(await post.closed, {
    code: 1008,
    reason: "invalid request frame",
  });
});

Deno.test("wsRoute() refuses the connection over maxConnections with HTTP 503", async () => {
  await using gw = await startWsGateway({ limits: { maxConnections: 3 } });
  const clients = [];
  for (let i = 0; i < 3; i++) {
    const c = await connectedClient(gw.url);
    clients.push(c);
  }
  const response = await fetch(gw.url.replace("ws://", "http://"), {
    headers: {
      upgrade: "websocket",
      connection: "Upgrade",
      "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
      "sec-websocket-version": "13",
    },
  });
  assertEquals(response.status, 503);
  assertEquals(response.headers.get("retry-after"), "5");
  const body = await response.json();
  assert(String(body.error).includes("gateway.ws.maxConnections"));
  const refused = new TestClient(gw.url);
  let failed = false;
  await refused.opened.catch(() => (failed = true));
  assert(failed, "a WebSocket client cannot open past the limit");
  await refused.closed;
  await clients[0]![Symbol.asyncDispose]();
  await waitFor(() => gw.hub.stats().connectionCount === 2);
  await using again = await connectedClient(gw.url);
  assertEquals(again.socket.readyState, WebSocket.OPEN);
  for (const c of clients.slice(1)) await c[Symbol.asyncDispose]();
});

Deno.test("wsRoute() refuses the 33rd connection from one IP with HTTP 429 at the default limit", async () => {
  await using gw = await startWsGateway();
  const clients: TestClient[] = [];
  for (let i = 0; i < 32; i++) clients.push(new TestClient(gw.url));
  await Promise.all(clients.map((c) => c.event("connect.challenge")));
  assertEquals(gw.hub.stats().connectionCount, 32);
  const response = await fetch(gw.url.replace("ws://", "http://"), {
    headers: {
      upgrade: "websocket",
      connection: "Upgrade",
      "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
      "sec-websocket-version": "13",
    },
  });
  assertEquals(response.status, 429);
  const body = await response.json();
  assert(String(body.error).includes("gateway.ws.maxPerIp"));
  for (const c of clients) await c[Symbol.asyncDispose]();
});

Deno.test("wsRoute() answers rate_limited with retryAfterMs and closes after 3 consecutive strikes", async () => {
  let now = 0;
  await using gw = await startWsGateway({
    methods: HEALTH,
    clock: () => now,
    limits: { messageBurst: 5, messageRate: 1 },
  });
  const client = await connectedClient(gw.url); // connect took one token
  for (let i = 0; i < 4; i++) {
    assertEquals((await client.request("health")).ok, true);
  }
  const first = await client.request("health");
  assertEquals(first.error, {
    code: "rate_limited",
    message:
      "rate limit exceeded: at most 1 messages per second (burst 5); retry after 1000 ms",
    retryable: true,
    details: { retryAfterMs: 1000 },
  });
  now += 1000; // one token: an allowed message resets the strikes
  assertEquals((await client.request("health")).ok, true);
  assertEquals((await client.request("health")).ok, false);
  assertEquals((await client.request("health")).ok, false);
  client.send({ type: "req", id: "third", method: "health" });
  assertEquals(await client.closed, {
    code: 1008,
    reason: "rate limit exceeded",
  });
});

Deno.test("wsRoute() closes a slow consumer and unregisters it", async () => {
  await using gw = await startWsGateway();
  const port = Number(new URL(gw.url).port);
  const tcp = await Deno.connect({ hostname: "127.0.0.1", port });
  await tcp.write(new TextEncoder().encode(
    "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
  ));
  const head = new Uint8Array(4096);
  await tcp.read(head);
  // A reader that completes the handshake, then never reads again.
  const mask = new Uint8Array([1, 2, 3, 4]);
  const text = new TextEncoder().encode(JSON.stringify({
    type: "req",
    id: "c",
    method: "connect",
    params: {
      minProtocol: 3,
      maxProtocol: 3,
      client: { id: "test", version: "1", platform: "linux", mode: "test" },
      auth: { token: "test-token-0123456789" },
    },
  }));
  const frame = new Uint8Array(8 + text.length);
  frame.set([0x81, 0x80 | 126, text.length >> 8, text.length & 0xff], 0);
  frame.set(mask, 4);
  text.forEach((b, i) => (frame[8 + i] = b ^ mask[i % 4]!));
  await tcp.write(frame);
  await waitFor(() => gw.hub.stats().connectionCount === 1);
  await new Promise((r) => setTimeout(r, 100));
  const big = "y".repeat(200_000);
  for (let i = 0; i < 400 && gw.hub.stats().connectionCount > 0; i++) {
    gw.hub.broadcast("test.big", { big });
    await new Promise((r) => setTimeout(r, 1));
  }
  await waitFor(() => gw.hub.stats().connectionCount === 0);
  assert(gw.hub.stats().broadcastDropTotal >= 1);
  tcp.close();
});

async function waitFor(condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}
