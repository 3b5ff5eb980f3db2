import { ConnectRefused } from "../../../gateway/protocol/errors.ts";
import type {
  ConnectGrant,
  ConnectRequest,
} from "../../../gateway/protocol/types.ts";
import { assert, assertEquals } from "../../_helpers.ts";
import {
  type AuthFixture,
  authFixture,
  connectRequest,
  deviceKeys,
  LOCAL,
  REMOTE,
} from "./_helpers.ts";

async function refusal(
  fixture: AuthFixture,
  request: ConnectRequest,
): Promise<ConnectRefused> {
  const error = await fixture.authenticate(request).then(
    (grant) => grant,
    (e: unknown) => e,
  );
  assert(
    error instanceof ConnectRefused,
    `expected a refusal, got ${JSON.stringify(error)}`,
  );
  return error;
}

async function refusedWith(
  fixture: AuthFixture,
  request: ConnectRequest,
  code: string,
  message: string,
): Promise<ConnectRefused> {
  const error = await refusal(fixture, request);
  assertEquals([error.code, error.message, error.closeCode], [
    code,
    message,
    1008,
  ]);
  return error;
}

const TOKEN = {
  config: { gateway: { auth: { mode: "token", token: "shared-token" } } },
};

Deno.test("authenticate() admits a local-direct device in mode none and auto-pairs it", async () => {
  using f = authFixture({ config: { gateway: { auth: { mode: "none" } } } });
  const keys = await deviceKeys();
  const grant = await f.authenticate(
    await connectRequest(f, { peer: LOCAL, keys }),
  );
  assertEquals([grant.method, grant.localDirect, grant.role, grant.scopes], [
    "local",
    true,
    "operator",
    ["operator.admin"],
  ]);
  assert(grant.deviceId !== null && grant.deviceToken !== undefined);
  assertEquals(f.events.map((e) => e.event), ["device.pair.resolved"]);
  assertEquals(f.events[0]?.payload.decision, "approved");
  assertEquals(f.events[0]?.options, { scope: "operator.pairing" });
  assertEquals(f.state.devices.get(grant.deviceId)?.scopes, ["operator.admin"]);
  const audit = f.state.audit.list().map((e) => e.event).sort();
  assertEquals(audit, ["auth_success", "device_paired"]);
});

Deno.test("authenticate() refuses a remote client in mode none with unauthorized", async () => {
  using f = authFixture({ config: { gateway: { auth: { mode: "local" } } } });
  await refusedWith(
    f,
    await connectRequest(f, { keys: await deviceKeys() }),
    "invalid_request",
    "unauthorized",
  );
});

Deno.test("authenticate() gives every token-mode error string", async () => {
  using f = authFixture(TOKEN);
  const keys = await deviceKeys();
  await refusedWith(
    f,
    await connectRequest(f, { keys }),
    "invalid_request",
    "unauthorized: token missing",
  );
  await refusedWith(
    f,
    await connectRequest(f, { keys, auth: { token: "   " } }),
    "invalid_request",
    "unauthorized: token missing",
  );
  await refusedWith(
    f,
    await connectRequest(f, { keys, auth: { token: "wrong" } }),
    "invalid_request",
    "unauthorized: token mismatch",
  );
  using g = authFixture({ config: { gateway: { auth: { mode: "token" } } } });
  await refusedWith(
    g,
    await connectRequest(g, { keys, auth: { token: "x" } }),
    "invalid_request",
    "unauthorized: gateway token not configured on gateway (set gateway.auth.token)",
  );
});

Deno.test("authenticate() gives every password-mode error string and never accepts the token slot", async () => {
  using f = authFixture({
    config: { gateway: { auth: { mode: "password", password: "pw" } } },
  });
  const keys = await deviceKeys();
  await refusedWith(
    f,
    await connectRequest(f, { keys, auth: { token: "pw" } }),
    "invalid_request",
    "unauthorized: password missing",
  );
  await refusedWith(
    f,
    await connectRequest(f, { keys, auth: { password: "nope" } }),
    "invalid_request",
    "unauthorized: password mismatch",
  );
  using g = authFixture({
    config: { gateway: { auth: { mode: "password" } } },
  });
  await refusedWith(
    g,
    await connectRequest(g, { keys, auth: { password: "x" } }),
    "invalid_request",
    "unauthorized: gateway password not configured on gateway (set gateway.auth.password)",
  );
});

Deno.test("authenticate() takes the token from the env and the credential store", async () => {
  using f = authFixture({
    env: { CARAPACE_GATEWAY_TOKEN: "env-token" },
    config: { gateway: { auth: { mode: "token" } } },
  });
  const keys = await deviceKeys();
  const grant = await f.authenticate(
    await connectRequest(f, {
      peer: LOCAL,
      keys,
      auth: { token: "env-token" },
    }),
  );
  assertEquals(grant.method, "token");
  using g = authFixture({
    config: { gateway: { auth: { mode: "token" } } },
    deps: {
      lookup: (account) =>
        Promise.resolve(
          account === "gateway:token:default" ? "store-token" : null,
        ),
    },
  });
  const stored = await g.authenticate(
    await connectRequest(g, {
      peer: LOCAL,
      keys,
      auth: { token: "store-token" },
    }),
  );
  assertEquals(stored.method, "token");
});

Deno.test("authenticate() requires a device unless local-direct with a token or a control UI flag", async () => {
  using f = authFixture(TOKEN);
  const shared = { token: "shared-token" };
  const missing = await refusedWith(
    f,
    await connectRequest(f, { auth: shared }),
    "not_paired",
    "device identity required",
  );
  assertEquals(missing.closeCode, 1008);
  const local = await f.authenticate(
    await connectRequest(f, { peer: LOCAL, auth: shared }),
  );
  assertEquals([local.method, local.deviceId, local.deviceToken], [
    "token",
    null,
    undefined,
  ]);
  await refusedWith(
    f,
    await connectRequest(f, { clientId: "carapace-control-ui", auth: shared }),
    "not_paired",
    "device identity required",
  );

  using insecure = authFixture({
    config: {
      gateway: {
        auth: { mode: "token", token: "shared-token" },
        controlUi: { allowInsecureAuth: true },
      },
    },
  });
  const ui = await insecure.authenticate(
    await connectRequest(insecure, {
      clientId: "carapace-control-ui",
      auth: shared,
    }),
  );
  assertEquals(ui.deviceId, null);
  await refusedWith(
    insecure,
    await connectRequest(insecure, { clientId: "carapace-control-ui" }),
    "not_paired",
    "device identity required",
  );
  await refusedWith(
    insecure,
    await connectRequest(insecure, { clientId: "webchat-ui", auth: shared }),
    "not_paired",
    "device identity required",
  );

  using disabled = authFixture({
    config: {
      gateway: {
        auth: { mode: "token", token: "shared-token" },
        controlUi: { dangerouslyDisableDeviceAuth: true },
      },
    },
  });
  const request = await connectRequest(disabled, {
    clientId: "carapace-control-ui",
    auth: shared,
    keys: await deviceKeys(),
  });
  request.params.device!.signature = "AAAA";
  const ignored = await disabled.authenticate(request);
  assertEquals(ignored.deviceId, null);
});

Deno.test("authenticate() reports device signature errors before credentials", async () => {
  using f = authFixture(TOKEN);
  const keys = await deviceKeys();
  await refusedWith(
    f,
    await connectRequest(f, {
      keys,
      signNonce: null,
      auth: { token: "shared-token" },
    }),
    "invalid_request",
    "device nonce required",
  );
  await refusedWith(
    f,
    await connectRequest(f, {
      keys,
      signNonce: "other",
      auth: { token: "shared-token" },
    }),
    "invalid_request",
    "device nonce mismatch",
  );
  await refusedWith(
    f,
    await connectRequest(f, { keys, signedAtMs: f.now() - 600_001 }),
    "invalid_request",
    "device signature expired",
  );
  const local = await f.authenticate(
    await connectRequest(f, {
      peer: LOCAL,
      keys,
      signNonce: null,
      auth: { token: "shared-token" },
    }),
  );
  assertEquals(local.method, "token");
});

Deno.test("authenticate() sends a remote device to pairing, and approval lets it in", async () => {
  using f = authFixture(TOKEN);
  const keys = await deviceKeys();
  const ask = () =>
    connectRequest(f, {
      keys,
      auth: { token: "shared-token" },
      scopes: ["operator.read"],
    });
  const refused = await refusedWith(
    f,
    await ask(),
    "not_paired",
    "pairing required",
  );
  const details = refused.details as {
    requestId: string;
    details: { requestId: string };
  };
  assertEquals(details.details.requestId, details.requestId);
  const requested = f.events.find((e) => e.event === "device.pair.requested");
  assertEquals(requested?.options, { scope: "operator.pairing" });
  assertEquals(
    Object.keys(requested?.payload ?? {}).sort(),
    [
      "clientId",
      "clientMode",
      "createdAt",
      "deviceId",
      "displayName",
      "isRepair",
      "platform",
      "publicKey",
      "remoteIp",
      "requestId",
      "role",
      "roles",
      "scopes",
      "silent",
      "ts",
    ],
  );
  assertEquals([requested?.payload.silent, requested?.payload.remoteIp], [
    false,
    REMOTE.remoteIp,
  ]);

  const again = await refusal(f, await ask());
  assertEquals(
    (again.details as { requestId: string }).requestId,
    details.requestId,
  );
  assertEquals(
    f.events.filter((e) => e.event === "device.pair.requested").length,
    1,
  );

  f.services.devicePairing.approve(details.requestId);
  const grant = await f.authenticate(await ask());
  assertEquals([grant.method, grant.scopes], ["token", ["operator.read"]]);
  await refusedWith(
    f,
    await connectRequest(f, {
      keys,
      auth: { token: "shared-token" },
      scopes: ["operator.admin"],
    }),
    "not_paired",
    "pairing required",
  );
});

Deno.test("authenticate() refuses a 26th pending pairing with unavailable", async () => {
  using f = authFixture({ ...TOKEN, deviceLimits: { maxPending: 2 } });
  const shared = { token: "shared-token" };
  for (let i = 0; i < 2; i++) {
    await refusedWith(
      f,
      await connectRequest(f, { keys: await deviceKeys(), auth: shared }),
      "not_paired",
      "pairing required",
    );
  }
  await refusedWith(
    f,
    await connectRequest(f, { keys: await deviceKeys(), auth: shared }),
    "unavailable",
    "too many pending pairing requests",
  );
});

Deno.test("authenticate() accepts a device token for its device, role and scopes only", async () => {
  using f = authFixture(TOKEN);
  const keys = await deviceKeys();
  const first: ConnectGrant = await f.authenticate(
    await connectRequest(f, {
      peer: LOCAL,
      keys,
      auth: { token: "shared-token" },
    }),
  );
  const deviceToken = first.deviceToken!.token;
  assert(/^[0-9a-f-]{36}$/.test(deviceToken));
  const remote = await f.authenticate(
    await connectRequest(f, { keys, auth: { token: deviceToken } }),
  );
  assertEquals(remote.method, "device-token");
  assertEquals(remote.deviceToken?.token, deviceToken);
  await refusedWith(
    f,
    await connectRequest(f, {
      keys: await deviceKeys(),
      auth: { token: deviceToken },
      peer: LOCAL,
    }),
    "invalid_request",
    "unauthorized: token mismatch",
  );
  await refusedWith(
    f,
    await connectRequest(f, {
      keys,
      auth: { token: deviceToken },
      role: "node",
      scopes: [],
    }),
    "invalid_request",
    "unauthorized: token mismatch",
  );
  f.services.deviceTokens.revoke(first.deviceId!);
  await refusedWith(
    f,
    await connectRequest(f, { keys, auth: { token: deviceToken } }),
    "invalid_request",
    "unauthorized: token mismatch",
  );
  const stored = f.state.db.prepare("SELECT token_hash FROM device_tokens")
    .all();
  assert(stored.every((row) => row.token_hash !== deviceToken));
});

Deno.test("authenticate() stops device tokens at their 90-day expiry", async () => {
  using f = authFixture(TOKEN);
  const keys = await deviceKeys();
  const first = await f.authenticate(
    await connectRequest(f, {
      peer: LOCAL,
      keys,
      auth: { token: "shared-token" },
    }),
  );
  f.advance(90 * 24 * 3600 * 1000);
  await refusedWith(
    f,
    await connectRequest(f, {
      keys,
      auth: { token: first.deviceToken!.token },
    }),
    "invalid_request",
    "unauthorized: token mismatch",
  );
});

Deno.test("authenticate() refuses a device whose stored key differs with device identity mismatch", async () => {
  using f = authFixture(TOKEN);
  const keys = await deviceKeys();
  const grant = await f.authenticate(
    await connectRequest(f, {
      peer: LOCAL,
      keys,
      auth: { token: "shared-token" },
    }),
  );
  f.state.db.prepare(
    "UPDATE devices SET public_key = 'other' WHERE device_id = ?",
  ).run(grant.deviceId);
  await refusedWith(
    f,
    await connectRequest(f, {
      peer: LOCAL,
      keys,
      auth: { token: "shared-token" },
    }),
    "invalid_request",
    "device identity mismatch",
  );
});

Deno.test("authenticate() rate-limits an IP after 10 failures, loopback included, with retryAfterMs", async () => {
  using f = authFixture(TOKEN);
  for (let i = 0; i < 10; i++) {
    await refusedWith(
      f,
      await connectRequest(f, { peer: LOCAL, auth: { token: "guess" } }),
      "invalid_request",
      "unauthorized: token mismatch",
    );
  }
  const limited = await refusedWith(
    f,
    await connectRequest(f, { peer: LOCAL, auth: { token: "shared-token" } }),
    "rate_limited",
    "too many failed authentication attempts; retry in 60 s",
  );
  assertEquals(limited.details, { retryAfterMs: 60_000 });
  assert(limited.retryable);
  const other = await f.authenticate(
    await connectRequest(f, {
      peer: { remoteIp: "127.0.0.2", host: "localhost" },
      auth: { token: "shared-token" },
    }),
  );
  assertEquals(other.method, "token");
  f.advance(60_000);
  assertEquals(
    (await f.authenticate(
      await connectRequest(f, { peer: LOCAL, auth: { token: "shared-token" } }),
    )).method,
    "token",
  );
  assert(f.state.audit.list({ event: "auth_failure" }).length >= 11);
});

Deno.test("authenticate() never limits local-direct clients in mode none", async () => {
  using f = authFixture({ config: { gateway: { auth: { mode: "none" } } } });
  for (let i = 0; i < 10; i++) f.services.limiter.recordFailure(LOCAL.remoteIp);
  const grant = await f.authenticate(
    await connectRequest(f, { peer: LOCAL, keys: await deviceKeys() }),
  );
  assertEquals(grant.method, "local");
});

Deno.test("authenticate() admits a Tailscale Serve request whose whois login matches", async () => {
  const headers = {
    "x-forwarded-for": "100.64.0.7",
    "x-forwarded-proto": "https",
    "x-forwarded-host": "box.tail1.ts.net",
    "tailscale-user-login": "Alice@Example.com",
  };
  using f = authFixture({
    config: {
      gateway: { auth: { mode: "token", token: "t", allowTailscale: true } },
    },
    deps: {
      whois: (ip) =>
        Promise.resolve(ip === "100.64.0.7" ? "alice@example.com" : null),
    },
  });
  const keys = await deviceKeys();
  const peer = { remoteIp: "127.0.0.1", host: "box.tail1.ts.net" };
  const request = await connectRequest(f, { peer, headers, keys });
  await refusedWith(f, request, "not_paired", "pairing required");
  const id = f.services.devicePairing.list().pending[0]!.requestId;
  f.services.devicePairing.approve(id);
  assertEquals(
    (await f.authenticate(await connectRequest(f, { peer, headers, keys })))
      .method,
    "tailscale",
  );
  const wrong = { ...headers, "tailscale-user-login": "mallory@example.com" };
  await refusedWith(
    f,
    await connectRequest(f, { peer, headers: wrong, keys }),
    "invalid_request",
    "unauthorized: token missing",
  );
});
