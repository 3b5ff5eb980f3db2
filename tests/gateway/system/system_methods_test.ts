import { assert, assertEquals, tempDir } from "../../_helpers.ts";
import { openDatabase } from "../../../gateway/state/mod.ts";
import {
  PresenceRegistry,
  SYSTEM_EVENTS,
  systemMethods,
} from "../../../gateway/system/mod.ts";
import { connectedClient, startWsGateway } from "../protocol/_helpers.ts";

const METHODS = [
  "health",
  "status",
  "system.info",
  "system-presence",
  "logs.tail",
];

async function systemGateway(dir: string) {
  const state = openDatabase(`${dir}/state.db`);
  const presenceRef: { current?: PresenceRegistry } = {};
  const gw = await startWsGateway({
    events: [...SYSTEM_EVENTS],
    methods: (hub, logger) => {
      const presence = new PresenceRegistry({ events: hub });
      presenceRef.current = presence;
      return systemMethods({
        version: "9.9.9",
        commit: "abc1234",
        logger,
        sessions: state.sessions,
        presence,
        wsStats: () => hub.stats(),
        uptimeMs: () => 1234,
      });
    },
    deps: {
      onConnected: (c) => presenceRef.current?.connected(c),
      onDisconnected: (c) => presenceRef.current?.disconnected(c),
    },
  });
  return {
    gw,
    state,
    async [Symbol.asyncDispose]() {
      await gw[Symbol.asyncDispose]();
      state.close();
    },
  };
}

Deno.test("systemMethods() are advertised and each requires operator.read", async () => {
  using dir = tempDir();
  await using sys = await systemGateway(dir.path);
  await using reader = await connectedClient(sys.gw.url, {
    scopes: ["operator.read"],
  });
  await using writer = await connectedClient(sys.gw.url, {
    scopes: ["operator.write"],
  });
  await using pairing = await connectedClient(sys.gw.url, {
    scopes: ["operator.pairing"],
  });
  await using node = await connectedClient(sys.gw.url, { role: "node" });
  assertEquals(sys.gw.registry.names(), METHODS);
  for (const method of METHODS) {
    assertEquals((await reader.request(method)).ok, true, method);
    assertEquals((await writer.request(method)).ok, true, method);
    const denied = await pairing.request(method);
    assertEquals(
      (denied.error as Record<string, unknown>).message,
      `method '${method}' requires 'operator.read' scope`,
    );
    assertEquals(
      (await node.request(method)).error,
      {
        code: "invalid_request",
        message: `method '${method}' is not allowed for node role`,
        retryable: false,
        details: { method, role: "node" },
      },
    );
  }
});

Deno.test("health and status report live WS and session facts", async () => {
  using dir = tempDir();
  await using sys = await systemGateway(dir.path);
  sys.state.sessions.create({ sessionKey: "main:a" });
  sys.state.sessions.create({ sessionKey: "main:b" });
  await using client = await connectedClient(sys.gw.url);
  const health = (await client.request("health")).payload as Record<
    string,
    unknown
  >;
  assertEquals(health.status, "healthy");
  const ws = health.ws as Record<string, number>;
  assertEquals(ws.connectionCount, 1);
  assertEquals(ws.broadcastDropTotal, 0);
  assertEquals(ws.matrixVerificationRateLimitDropTotal, 0);
  assert(typeof ws.maxBufferedBytes === "number");
  const status = (await client.request("status")).payload as Record<
    string,
    unknown
  >;
  assertEquals(status.status, "ok");
  assertEquals(status.uptimeMs, 1234);
  assertEquals(status.version, "9.9.9");
  assertEquals((status.runtime as Record<string, string>).name, "carapace");
  assertEquals(status.channels, { total: 0, connected: 0 });
  const sessions = status.sessions as {
    count: number;
    recent: { key: string }[];
  };
  assertEquals(sessions.count, 2);
  assertEquals(sessions.recent.map((s) => s.key).sort(), ["main:a", "main:b"]);
  const info = (await client.request("system.info")).payload as Record<
    string,
    unknown
  >;
  assertEquals((info.sessions as Record<string, number>).count, 2);
  assertEquals(info.connections, 1);
});

Deno.test("system-presence lists connected clients, hides admin fields from readers, and presence events follow connects and closes", async () => {
  using dir = tempDir();
  await using sys = await systemGateway(dir.path);
  await using admin = await connectedClient(sys.gw.url, {
    client: {
      id: "cli",
      version: "1.2.3",
      platform: "linux",
      mode: "cli",
      instanceId: "inst-1",
    },
  });
  await using reader = await connectedClient(sys.gw.url, {
    scopes: ["operator.read"],
  });
  const own = await admin.event("presence");
  assertEquals(own.stateVersion, { presence: 1, health: 0 });
  const other = await admin.event("presence");
  assertEquals(other.stateVersion, { presence: 2, health: 0 });
  assertEquals((other.payload as { presence: unknown[] }).presence.length, 2);
  const full = (await admin.request("system-presence")).payload as Record<
    string,
    unknown
  >[];
  assertEquals(full.length, 2);
  assert(full.every((e) => e.ip === "127.0.0.1"));
  const visible = (await reader.request("system-presence")).payload as Record<
    string,
    unknown
  >[];
  assert(visible.every((e) => !("ip" in e) && !("scopes" in e)));
  assert(visible.some((e) => e.instanceId === "inst-1"));
  await reader[Symbol.asyncDispose]();
  let last = await admin.event("presence");
  while ((last.payload as { presence: unknown[] }).presence.length !== 1) {
    last = await admin.event("presence");
  }
});

Deno.test("PresenceRegistry expires reported entries after the TTL and keeps at most maxEntries", () => {
  let now = 0;
  const events: string[] = [];
  const presence = new PresenceRegistry({
    events: { broadcast: (e) => events.push(e) },
    now: () => now,
    ttlMs: 1000,
    maxEntries: 3,
  });
  for (let i = 0; i < 5; i++) {
    now = i;
    presence.report(`k${i}`, { text: `t${i}` });
  }
  assertEquals(presence.list({ admin: true }).map((e) => e.text), [
    "t4",
    "t3",
    "t2",
  ]);
  now = 2000;
  assertEquals(presence.list({ admin: true }), []);
  assertEquals(events.length, 5);
});

Deno.test("logs.tail validates params and pages with a cursor", async () => {
  using dir = tempDir();
  await using sys = await systemGateway(dir.path);
  await using client = await connectedClient(sys.gw.url);
  for (let i = 0; i < 5; i++) sys.gw.logger.warn("test.tail", `needle ${i}`);
  const first = await client.request("logs.tail", {
    limit: 2,
    pattern: "needle",
    level: "warn",
  });
  const page = first.payload as {
    entries: { message: string; seq: number }[];
    lines: string[];
    cursor: number;
    reset: boolean;
    size: number;
    truncated: boolean;
  };
  assertEquals(page.entries.map((e) => e.message), ["needle 3", "needle 4"]);
  assertEquals(page.lines.length, 2);
  assertEquals(JSON.parse(page.lines[0]!).message, "needle 3");
  assertEquals(page.reset, false);
  assert(page.size > 0);
  const next = await client.request("logs.tail", {
    cursor: page.cursor,
    pattern: "needle",
  });
  assertEquals((next.payload as { entries: unknown[] }).entries, []);
  const reset = await client.request("logs.tail", { cursor: 10_000_000 });
  assertEquals((reset.payload as { reset: boolean }).reset, true);
  const bad: [unknown, string][] = [
    [{ limit: 0 }, '"limit" must be an integer from 1 to 5000, got "0"'],
    [{ limit: 5001 }, '"limit" must be an integer from 1 to 5000, got "5001"'],
    [
      { maxBytes: 1_000_001 },
      '"maxBytes" must be an integer from 1 to 1000000',
    ],
    [
      { level: "loud" },
      '"level" must be one of trace, debug, info, warn, error',
    ],
    [{ pattern: 5 }, '"pattern" must be a string'],
    [{ cursor: -1 }, '"cursor" must be an integer'],
    [{ bogus: 1 }, '"bogus" is not a parameter'],
    [[1], "params must be an object"],
  ];
  for (const [params, message] of bad) {
    const res = await client.request("logs.tail", params);
    const error = res.error as { code: string; message: string };
    assertEquals(error.code, "invalid_request");
    assert(
      error.message.startsWith(`invalid logs.tail params: ${message}`),
      error.message,
    );
  }
});
