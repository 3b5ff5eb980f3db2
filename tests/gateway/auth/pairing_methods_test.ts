import {
  devicePairingMethods,
  nodePairingMethods,
} from "../../../gateway/auth/pairing_methods.ts";
import { ProtocolError } from "../../../gateway/protocol/errors.ts";
import type {
  ConnectionInfo,
  MethodDefinition,
} from "../../../gateway/protocol/types.ts";
import { assert, assertEquals } from "../../_helpers.ts";
import {
  type AuthFixture,
  authFixture,
  connectRequest,
  deviceKeys,
  LOCAL,
} from "./_helpers.ts";

const CONN: ConnectionInfo = {
  connId: "c1",
  role: "operator",
  scopes: ["operator.admin"],
  client: { id: "cli", version: "1", platform: "linux", mode: "cli" },
  deviceId: null,
  remoteIp: "192.0.2.50",
  localDirect: false,
  connectedAtMs: 0,
};

function caller(f: AuthFixture, methods: MethodDefinition[]) {
  return async (name: string, params?: unknown) => {
    const method = methods.find((m) => m.name === name);
    assert(method !== undefined, name);
    return await method.handler({
      conn: CONN,
      params,
      signal: new AbortController().signal,
      events: f.sink,
    }) as Record<string, unknown>;
  };
}

async function invalid(promise: Promise<unknown>, pattern: RegExp) {
  const error = await promise.then(() => null, (e: unknown) => e);
  assert(error instanceof ProtocolError, String(error));
  assertEquals(error.code, "invalid_request");
  assert(pattern.test(error.message), error.message);
}

Deno.test("devicePairingMethods() carry the §6 scopes", () => {
  using f = authFixture();
  const scopes = Object.fromEntries(
    [...devicePairingMethods(f.services), ...nodePairingMethods(f.services)]
      .map((m) => [m.name, m.scope]),
  );
  assertEquals(scopes, {
    "device.pair.list": "operator.read",
    "device.pair.approve": "operator.pairing",
    "device.pair.reject": "operator.pairing",
    "device.token.rotate": "operator.pairing",
    "device.token.revoke": "operator.pairing",
    "node.pair.request": "operator.pairing",
    "node.pair.list": "operator.read",
    "node.pair.approve": "operator.pairing",
    "node.pair.reject": "operator.pairing",
    "node.pair.verify": "operator.pairing",
  });
});

Deno.test("device.pair.approve with roles/scopes pairs the device as approved; reject drops the request", async () => {
  using f = authFixture({
    config: { gateway: { auth: { mode: "token", token: "t" } } },
  });
  const call = caller(f, devicePairingMethods(f.services));
  const keys = await deviceKeys();
  await f.authenticate(
    await connectRequest(f, {
      keys,
      auth: { token: "t" },
      scopes: ["operator.read"],
    }),
  ).catch(() => {});
  const list = await call("device.pair.list");
  const pending = list.pending as { requestId: string; deviceId: string }[];
  assertEquals(pending.length, 1);
  await invalid(
    call("device.pair.approve", { requestId: "nope" }),
    /^unknown requestId "nope"/,
  );
  await invalid(
    call("device.pair.approve", {
      requestId: pending[0]!.requestId,
      roles: ["root"],
    }),
    /role "root"/,
  );
  const approved = await call("device.pair.approve", {
    requestId: pending[0]!.requestId,
    scopes: ["operator.read", "operator.write"],
  });
  assertEquals((approved.device as { scopes: string[] }).scopes, [
    "operator.read",
    "operator.write",
  ]);
  assertEquals(f.events.at(-1)?.payload.decision, "approved");
  const grant = await f.authenticate(
    await connectRequest(f, {
      keys,
      auth: { token: "t" },
      scopes: ["operator.write"],
    }),
  );
  assertEquals(grant.scopes, ["operator.write"]);
  assertEquals((await call("device.pair.list")).paired, [
    { ...approved.device as object, lastSeenAtMs: f.now() },
  ]);

  const other = await deviceKeys();
  await f.authenticate(
    await connectRequest(f, { keys: other, auth: { token: "t" } }),
  ).catch(() => {});
  const second =
    ((await call("device.pair.list")).pending as { requestId: string }[])[0]!;
  await call("device.pair.reject", { requestId: second.requestId });
  assertEquals(f.events.at(-1)?.payload.decision, "rejected");
  assertEquals((await call("device.pair.list")).pending, []);
});

Deno.test("device pairing requests expire after 1 h and paired devices are capped", async () => {
  using f = authFixture({
    config: { gateway: { auth: { mode: "token", token: "t" } } },
    deviceLimits: { maxPaired: 2 },
  });
  await f.authenticate(
    await connectRequest(f, { keys: await deviceKeys(), auth: { token: "t" } }),
  ).catch(() => {});
  f.advance(3_600_000);
  assertEquals(f.services.devicePairing.list().pending, []);
  for (let i = 0; i < 3; i++) {
    await f.authenticate(
      await connectRequest(f, {
        peer: LOCAL,
        keys: await deviceKeys(),
        auth: { token: "t" },
      }),
    );
    f.advance(1000);
  }
  assertEquals(f.services.devicePairing.list().paired.length, 2);
  assertEquals(f.state.audit.list({ event: "device_evicted" }).length, 1);
});

Deno.test("device.token.rotate replaces the device's tokens; device.token.revoke removes them", async () => {
  using f = authFixture({
    config: { gateway: { auth: { mode: "token", token: "t" } } },
  });
  const call = caller(f, devicePairingMethods(f.services));
  const keys = await deviceKeys();
  const grant = await f.authenticate(
    await connectRequest(f, { peer: LOCAL, keys, auth: { token: "t" } }),
  );
  const deviceId = grant.deviceId!;
  const rotated = await call("device.token.rotate", {
    deviceId,
    role: "operator",
  });
  assert(
    typeof rotated.token === "string" &&
      rotated.token !== grant.deviceToken?.token,
  );
  const old = await connectRequest(f, {
    keys,
    auth: { token: grant.deviceToken!.token },
  });
  await f.authenticate(old).then(
    () => assert(false, "old token accepted"),
    () => {},
  );
  const fresh = await f.authenticate(
    await connectRequest(f, { keys, auth: { token: rotated.token as string } }),
  );
  assertEquals(fresh.method, "device-token");
  await invalid(
    call("device.token.rotate", { deviceId, role: "node" }),
    /not paired for that role/,
  );
  const revoked = await call("device.token.revoke", {
    deviceId,
    role: "operator",
  });
  assertEquals(revoked.revoked, 1);
  await f.authenticate(
    await connectRequest(f, { keys, auth: { token: rotated.token as string } }),
  )
    .then(() => assert(false, "revoked token accepted"), () => {});
});

Deno.test("node pairing: request, approve with a token shown once, verify, reject, limits", async () => {
  using f = authFixture({ nodeLimits: { maxPending: 2, maxPaired: 1 } });
  const call = caller(f, nodePairingMethods(f.services));
  const asked = await call("node.pair.request", {
    nodeId: "node-1",
    displayName: "Box",
    platform: "linux",
    version: "1.0",
  });
  const request = asked.request as { requestId: string; remoteIp: string };
  assertEquals(request.remoteIp, CONN.remoteIp);
  assertEquals(f.events.at(-1)?.event, "node.pair.requested");
  await call("node.pair.request", { nodeId: "node-2", silent: true });
  assertEquals(f.events.length, 1);
  const full = await call("node.pair.request", { nodeId: "node-3" }).then(
    () => null,
    (e: unknown) => e,
  );
  assert(full instanceof ProtocolError && full.code === "unavailable");

  const approved = await call("node.pair.approve", {
    requestId: request.requestId,
  });
  const node = approved.node as { nodeId: string; token: string };
  assertEquals(node.nodeId, "node-1");
  assertEquals(
    (await call("node.pair.verify", { nodeId: "node-1", token: node.token }))
      .ok,
    true,
  );
  assertEquals(
    (await call("node.pair.verify", { nodeId: "node-1", token: "x" })).ok,
    false,
  );
  assertEquals(
    (await call("node.pair.verify", { nodeId: "ghost", token: node.token })).ok,
    false,
  );
  const listed = JSON.stringify(await call("node.pair.list"));
  assert(!listed.includes(node.token));
  assertEquals(f.state.audit.list({ event: "node_paired" }).length, 1);

  const second =
    ((await call("node.pair.list")).pending as { requestId: string }[])[0]!;
  await call("node.pair.approve", { requestId: second.requestId });
  const paired = (await call("node.pair.list")).paired as { nodeId: string }[];
  assertEquals(paired.map((n) => n.nodeId), ["node-2"]);

  await call("node.pair.request", { nodeId: "node-4" });
  const fourth =
    ((await call("node.pair.list")).pending as { requestId: string }[])[0]!;
  await call("node.pair.reject", { requestId: fourth.requestId });
  assertEquals(f.events.at(-1)?.payload, {
    requestId: fourth.requestId,
    nodeId: "node-4",
    decision: "rejected",
    ts: f.now(),
  });
  await invalid(
    call("node.pair.request", {}),
    /nodeId must be a non-empty string/,
  );
});

Deno.test("node tokens expire after 30 days and pending node requests after 24 h", async () => {
  using f = authFixture();
  const call = caller(f, nodePairingMethods(f.services));
  const { request } = await call("node.pair.request", { nodeId: "n" }) as {
    request: { requestId: string };
  };
  const { node } = await call("node.pair.approve", {
    requestId: request.requestId,
  }) as { node: { token: string } };
  await call("node.pair.request", { nodeId: "m" });
  f.advance(24 * 3600 * 1000);
  assertEquals((await call("node.pair.list")).pending, []);
  f.advance(29 * 24 * 3600 * 1000);
  assertEquals(
    (await call("node.pair.verify", { nodeId: "n", token: node.token })).ok,
    false,
  );
});
