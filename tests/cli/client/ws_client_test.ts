import { join } from "node:path";
import { connectGateway } from "../../../cli/client/ws_client.ts";
import { readKnownGateways } from "../../../cli/client/known_gateways.ts";
import { loadDeviceIdentity } from "../../../cli/device_identity.ts";
import { openCredentialStore } from "../../../gateway/credentials/open_store.ts";
import { CaraError } from "../../../gateway/errors.ts";
import { signedPayload } from "../../../gateway/protocol/device_signature.ts";
import { decodeBase64Loose } from "../../../gateway/protocol/base64url.ts";
import { resolveGatewayTls } from "../../../gateway/tls/resolve.ts";
import { startWsGatewayPeer } from "../../fakes/ws_gateway_peer.ts";
import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  isolatedEnv,
  tempDir,
} from "../../_helpers.ts";

async function setup(stateDir: string) {
  const env = isolatedEnv(stateDir, { CARAPACE_CREDENTIAL_STORE: "none" });
  const warnings: string[] = [];
  const store = await openCredentialStore(env);
  const identity = await loadDeviceIdentity(env, {
    store,
    warn: (line) => warnings.push(line),
  });
  const base = {
    host: "127.0.0.1",
    tls: false,
    trust: false,
    allowPlaintext: false,
    role: "operator" as const,
    scopes: ["operator.read"],
    auth: { token: "tok" },
    identity,
    env,
    warn: (line: string) => warnings.push(line),
  };
  return { env, identity, warnings, base };
}

async function tlsMaterial(dir: string) {
  return (await resolveGatewayTls(
    { tls: { enabled: true, autoGenerate: true } },
    isolatedEnv(dir),
  ))!;
}

Deno.test("connectGateway() answers the challenge with a signed v2 connect and sends cli-<method> requests", async () => {
  using dir = tempDir();
  const { base, identity } = await setup(dir.path);
  await using peer = startWsGatewayPeer({
    methods: { "logs.tail": { entries: [] } },
  });
  await using client = await connectGateway({ ...base, port: peer.port });
  assertEquals(client.hello.type, "hello-ok");
  assertEquals(await client.request("logs.tail", { limit: 5 }), {
    entries: [],
  });
  const [connect, tail] = peer.received as {
    id: string;
    params: {
      client: { id: string };
      auth: unknown;
      device: {
        id: string;
        nonce: string;
        signedAt: number;
        signature: string;
      };
    };
  }[];
  assertEquals(connect!.id, "connect-1");
  assertEquals(tail!.id, "cli-logs-tail");
  const params = connect!.params;
  assertEquals(params.client.id, "cli");
  assertEquals(params.auth, { token: "tok" });
  assertEquals(params.device.id, identity.deviceId);
  assertEquals(params.device.nonce, peer.nonces[0]);
  const message = signedPayload({
    deviceId: identity.deviceId,
    clientId: "cli",
    clientMode: "cli",
    role: "operator",
    scopes: ["operator.read"],
    signedAtMs: params.device.signedAt,
    token: "tok",
    nonce: peer.nonces[0],
  });
  assert(message.startsWith("v2|"));
  const ok = await crypto.subtle.verify(
    "Ed25519",
    identity.keys.publicKey,
    decodeBase64Loose(params.device.signature)!,
    new TextEncoder().encode(message),
  );
  assert(ok);
  await assertRejects(
    () => client.request("nope.method"),
    (error: unknown) =>
      error instanceof CaraError &&
      error.message === "nope.method failed: unknown method",
  );
});

Deno.test("connectGateway() explains not_paired with the request id", async () => {
  using dir = tempDir();
  const { base } = await setup(dir.path);
  await using peer = startWsGatewayPeer({
    refuseConnect: {
      code: "not_paired",
      message: "pairing required",
      details: { details: { requestId: "req-42" } },
    },
  });
  await assertRejects(
    () => connectGateway({ ...base, port: peer.port }),
    (error: unknown) =>
      error instanceof CaraError && /not paired.*"req-42"/.test(error.message),
  );
});

Deno.test("connectGateway() refuses plaintext to a non-loopback host unless allowed", async () => {
  using dir = tempDir();
  const { base } = await setup(dir.path);
  await assertRejects(
    () => connectGateway({ ...base, host: "192.0.2.1", port: 1 }),
    (error: unknown) =>
      error instanceof CaraError && /--allow-plaintext/.test(error.message),
  );
});

Deno.test("connectGateway() with --tls: unknown cert refused, --trust pins it, reconnect works, a changed cert is refused loudly", async () => {
  using dir = tempDir();
  const { base, env, warnings } = await setup(join(dir.path, "client"));
  const first = await tlsMaterial(join(dir.path, "a"));
  const other = await tlsMaterial(join(dir.path, "b"));
  const tlsBase = { ...base, tls: true };
  {
    await using peer = startWsGatewayPeer({ cert: first.cert, key: first.key });
    await assertRejects(
      () => connectGateway({ ...tlsBase, port: peer.port }),
      (error: unknown) =>
        error instanceof CaraError && error.code === "tls_untrusted" &&
        error.message.includes(first.fingerprint) &&
        /--trust/.test(error.message),
    );
    assertEquals(peer.received.length, 0);
    const client = await connectGateway({
      ...tlsBase,
      trust: true,
      port: peer.port,
    });
    await client.close();
    const pins = await readKnownGateways(env);
    assertEquals(
      pins[`127.0.0.1:${peer.port}`]?.fingerprint,
      first.fingerprint,
    );
    assertMatch(warnings.join(""), /Trusted gateway/);
    const again = await connectGateway({ ...tlsBase, port: peer.port });
    await again.close();

    // Same port, new certificate: simulate by re-pinning the port to the peer below.
    const { rememberGateway } = await import(
      "../../../cli/client/known_gateways.ts"
    );
    await using impostor = startWsGatewayPeer({
      cert: other.cert,
      key: other.key,
    });
    await rememberGateway(
      env,
      `127.0.0.1:${impostor.port}`,
      pins[`127.0.0.1:${peer.port}`]!,
    );
    await assertRejects(
      () => connectGateway({ ...tlsBase, trust: true, port: impostor.port }),
      (error: unknown) =>
        error instanceof CaraError &&
        error.code === "tls_fingerprint_changed" &&
        error.message.includes(first.fingerprint) &&
        error.message.includes(other.fingerprint) &&
        /CERTIFICATE HAS CHANGED/.test(error.message),
    );
    assertEquals(impostor.received.length, 0);
  }
});
