/**
 * `sessions.switch` through the wired gateway: a real WS connection per
 * client, so each connection's default is its own.
 */
import { startGateway } from "../../../gateway/start_gateway.ts";
import { assertEquals, isolatedEnv, tempDir } from "../../_helpers.ts";
import { connectedClient, type TestClient } from "../protocol/_helpers.ts";

const TOKEN = "switch-e2e-token-0123456789abcdef";

function connect(url: string, scopes: string[]): Promise<TestClient> {
  return connectedClient(`${url.replace("http", "ws")}/ws`, {
    client: { id: "cli", version: "1.0.0", platform: "linux", mode: "cli" },
    scopes,
    auth: { token: TOKEN },
  });
}

Deno.test("sessions.switch over WS changes where chat.send lands for that connection only", async () => {
  using dir = tempDir();
  await using gateway = await startGateway({
    env: isolatedEnv(dir.path, {
      CARAPACE_GATEWAY_TOKEN: TOKEN,
      CARAPACE_CREDENTIAL_STORE: "none",
    }),
    port: 0,
  });
  await using a = await connect(gateway.url, ["operator.admin"]);
  await using b = await connect(gateway.url, ["operator.admin"]);
  await using writer = await connect(gateway.url, ["operator.write"]);
  const created = await a.request("sessions.create", { key: "work" });
  assertEquals(created.ok, true, JSON.stringify(created));
  const refused = await writer.request("sessions.switch", { key: "work" });
  assertEquals(
    (refused.error as { message: string }).message,
    "method 'sessions.switch' requires 'operator.admin' scope",
  );
  const switched = await a.request("sessions.switch", { key: "work" });
  assertEquals(switched.ok, true, JSON.stringify(switched));
  const send = async (client: TestClient) => {
    const res = await client.request("chat.send", {
      message: "hello",
      idempotencyKey: crypto.randomUUID(),
      triggerAgent: false,
    });
    return (res.payload as { sessionKey: string }).sessionKey;
  };
  assertEquals(await send(a), "work");
  assertEquals(await send(b), "main:default:default");
  const work = gateway.state.sessions.getByKey("work")!;
  assertEquals(gateway.state.sessions.messages.count(work.id), 1);
});
