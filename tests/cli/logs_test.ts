import { formatLogEntry } from "../../cli/logs.ts";
import { startWsGatewayPeer } from "../fakes/ws_gateway_peer.ts";
import {
  assertEquals,
  assertMatch,
  isolatedEnv,
  runCaraInProcess,
  tempDir,
} from "../_helpers.ts";

Deno.test("formatLogEntry() prints ISO time with ms, level, target and message", () => {
  const line = formatLogEntry({
    timestamp: 0,
    level: "info",
    target: "gateway",
    message: "up\u001b[31m",
  });
  assertMatch(line, /^1970-01-01T00:00:00\.000Z \[info\] gateway: up/);
  assertEquals(line.includes("\u001b"), false);
});

Deno.test("cara logs prints the logs.tail entries from the gateway", async () => {
  using dir = tempDir();
  await using peer = startWsGatewayPeer({
    methods: {
      "logs.tail": {
        entries: [{
          timestamp: 1000,
          level: "warn",
          target: "gateway.http",
          message: "slow",
        }],
        truncated: true,
      },
    },
  });
  const env = isolatedEnv(dir.path, {
    CARAPACE_CREDENTIAL_STORE: "none",
    CARAPACE_GATEWAY_TOKEN: "tok",
  });
  const result = await runCaraInProcess([
    "logs",
    "-p",
    String(peer.port),
    "-n",
    "7",
  ], env);
  assertEquals(result.code, 0, result.stderr);
  assertEquals(
    result.stdout,
    "1970-01-01T00:00:01.000Z [warn] gateway.http: slow\n",
  );
  assertMatch(result.stderr, /older entries were left out/);
  const tail = peer.received.find((f) => f.method === "logs.tail");
  assertEquals(tail?.params, { limit: 7 });
  const connect = peer.received.find((f) => f.method === "connect") as {
    params: { role: string; scopes: string[] };
  };
  assertEquals(connect.params.scopes, ["operator.read"]);
});
