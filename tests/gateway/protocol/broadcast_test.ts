import { assert, assertEquals } from "../../_helpers.ts";
import { connectedClient, startWsGateway } from "./_helpers.ts";

Deno.test("ConnectionHub.broadcast() allocates increasing seq and bumps stateVersion for state kinds", async () => {
  await using gw = await startWsGateway();
  await using client = await connectedClient(gw.url);
  gw.hub.broadcast("heartbeat", { ts: 1 });
  gw.hub.broadcast("presence", { presence: [] }, { stateKind: "presence" });
  const first = await client.event("heartbeat");
  const second = await client.event("presence");
  assertEquals(second.seq, (first.seq as number) + 1);
  assertEquals("stateVersion" in first, false);
  assertEquals(second.stateVersion, { presence: 1, health: 0 });
});

Deno.test("ConnectionHub.broadcast() gates pairing, approval and matrix events by scope", async () => {
  await using gw = await startWsGateway();
  await using reader = await connectedClient(gw.url, {
    scopes: ["operator.read"],
  });
  await using pairing = await connectedClient(gw.url, {
    scopes: ["operator.pairing"],
  });
  await using admin = await connectedClient(gw.url);
  gw.hub.broadcast("device.pair.requested", { requestId: "r" });
  gw.hub.broadcast("exec.approval.requested", { id: "e" });
  gw.hub.broadcast("matrix.verification.requested", { v: 1 });
  gw.hub.broadcast("custom", { x: 1 }, { scope: "operator.write" });
  gw.hub.broadcast("heartbeat", { ts: 2 });
  await reader.event("heartbeat");
  await pairing.event("heartbeat");
  await admin.event("heartbeat");
  const names = (frames: Record<string, unknown>[]) =>
    frames.filter((f) => f.type === "event").map((f) => f.event);
  assertEquals(names(reader.frames), []);
  assertEquals(names(pairing.frames), ["device.pair.requested"]);
  assertEquals(names(admin.frames), [
    "device.pair.requested",
    "exec.approval.requested",
    "matrix.verification.requested",
    "custom",
  ]);
});

Deno.test("ConnectionHub.broadcast() replaces an oversize state event by state.drop and an oversize agent event by a truncation marker", async () => {
  await using gw = await startWsGateway({
    limits: { maxBroadcastFrameBytes: 2000 },
  });
  await using client = await connectedClient(gw.url);
  const huge = "z".repeat(5000);
  gw.hub.broadcast("presence", { presence: [huge] }, { stateKind: "presence" });
  const drop = await client.event("state.drop");
  const payload = drop.payload as Record<string, unknown>;
  assertEquals(payload.event, "presence");
  assertEquals(payload.resyncRequired, true);
  assertEquals(payload.dropped, true);
  assertEquals(drop.stateVersion, { presence: 2, health: 0 });
  assert(typeof drop.seq === "number");

  gw.hub.broadcast("agent", {
    runId: "run-1",
    seq: 7,
    stream: "text",
    ts: 5,
    data: { delta: huge },
  });
  const agent = await client.event("agent");
  const marker = agent.payload as Record<string, unknown>;
  assertEquals(marker.runId, "run-1");
  assertEquals(marker.truncated, true);
  assertEquals(marker.maxFrameBytes, 2000);
  assert((marker.originalFrameBytesAtLeast as number) > 5000);
  assertEquals((marker.data as Record<string, unknown>).truncated, true);

  gw.hub.broadcast("chat", { text: huge });
  gw.hub.broadcast("heartbeat", {});
  await client.event("heartbeat");
  assertEquals(client.frames.some((f) => f.event === "chat"), false);
  assertEquals(gw.hub.stats().broadcastDropTotal, 2);
});

Deno.test("ConnectionHub sends tick events at the tick interval", async () => {
  await using gw = await startWsGateway({ limits: { tickIntervalMs: 50 } });
  await using client = await connectedClient(gw.url);
  const tick = await client.event("tick", 2000);
  assert(Math.abs((tick.payload as { ts: number }).ts - Date.now()) < 5000);
  assert(typeof tick.seq === "number");
});

Deno.test("ConnectionHub.shutdown() sends shutdown to everyone, closes the sockets and refuses new ones", async () => {
  await using gw = await startWsGateway();
  const client = await connectedClient(gw.url);
  gw.hub.shutdown({ reason: "r".repeat(1100), restartExpectedMs: 1500 });
  const event = await client.event("shutdown");
  assertEquals(event.payload, {
    reason: "r".repeat(1024),
    reasonTruncated: true,
    restartExpectedMs: 1500,
  });
  assertEquals(await client.closed, {
    code: 1012,
    reason: "gateway shutting down",
  });
  assertEquals(gw.hub.refusal("127.0.0.1")?.status, 503);
});

Deno.test("handlers get an AbortSignal that aborts when the socket closes", async () => {
  let aborted: Promise<void> | undefined;
  await using gw = await startWsGateway({
    methods: () => [{
      name: "wait",
      scope: "operator.read",
      handler: ({ signal }) => {
        aborted = new Promise((resolve) =>
          signal.addEventListener("abort", () => resolve())
        );
        return new Promise(() => {});
      },
    }],
  });
  const client = await connectedClient(gw.url);
  client.send({ type: "req", id: "w", method: "wait" });
  while (aborted === undefined) await new Promise((r) => setTimeout(r, 5));
  await client[Symbol.asyncDispose]();
  await aborted;
});
