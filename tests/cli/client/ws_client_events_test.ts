import { connectGateway } from "../../../cli/client/ws_client.ts";
import { loadDeviceIdentity } from "../../../cli/device_identity.ts";
import { openCredentialStore } from "../../../gateway/credentials/open_store.ts";
import { startWsGatewayPeer } from "../../fakes/ws_gateway_peer.ts";
import {
  assertEquals,
  assertRejects,
  isolatedEnv,
  tempDir,
} from "../../_helpers.ts";

async function connect(stateDir: string, port: number) {
  const env = isolatedEnv(stateDir, { CARAPACE_CREDENTIAL_STORE: "none" });
  const store = await openCredentialStore(env);
  const identity = await loadDeviceIdentity(env, { store, warn: () => {} });
  return await connectGateway({
    host: "127.0.0.1",
    port,
    tls: false,
    trust: false,
    allowPlaintext: false,
    role: "operator",
    scopes: ["operator.write"],
    auth: { token: "tok" },
    identity,
    env,
    warn: () => {},
  });
}

Deno.test("GatewayClient.onEvent() delivers server events sent after the handshake", async () => {
  using dir = tempDir();
  await using peer = startWsGatewayPeer({ methods: { health: { ok: 1 } } });
  await using client = await connect(dir.path, peer.port);
  const seen: string[] = [];
  const tick = new Promise<unknown>((resolve) => {
    client.onEvent((e) => {
      seen.push(e.event);
      if (e.event === "tick") resolve(e.payload);
    });
  });
  assertEquals(await tick, { ts: 1 });
  assertEquals(await client.request("health"), { ok: 1 });
  assertEquals(seen, ["tick"]);
});

Deno.test("GatewayClient.request() answers concurrent requests by id and rejects pending ones on close", async () => {
  using dir = tempDir();
  await using peer = startWsGatewayPeer({ methods: { a: 1, b: 2 } });
  const client = await connect(dir.path, peer.port);
  const [a, b] = await Promise.all([
    client.request("a", undefined, "x-1"),
    client.request("b", undefined, "x-2"),
  ]);
  assertEquals([a, b], [1, 2]);
  await assertRejects(
    client.request("c"),
    /c failed: unknown method/,
  );
  await client.close();
  await assertRejects(client.request("a"), /a failed: the gateway closed/);
});
