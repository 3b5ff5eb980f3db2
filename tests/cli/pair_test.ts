import { join } from "node:path";
import { parsePairUrl } from "../../cli/pair.ts";
import { CliError } from "../../cli/errors.ts";
import { startWsGatewayPeer } from "../fakes/ws_gateway_peer.ts";
import {
  assertEquals,
  assertMatch,
  assertThrows,
  isolatedEnv,
  runCaraInProcess,
  tempDir,
} from "../_helpers.ts";

Deno.test("parsePairUrl() keeps scheme://host:port and refuses user info and other schemes", () => {
  assertEquals(
    parsePairUrl("https://gw.example.net/x?y").origin,
    "https://gw.example.net:443",
  );
  assertEquals(parsePairUrl("http://127.0.0.1:18789").port, 18789);
  for (const bad of ["ftp://h", "https://u:p@h", "https://@h", "nope"]) {
    assertThrows(() => parsePairUrl(bad), CliError);
  }
});

Deno.test("cara pair requests and self-approves a node, then writes pairing.json 0600", async () => {
  using dir = tempDir();
  await using peer = startWsGatewayPeer({
    methods: {
      "node.pair.request": { request: { requestId: "r1" } },
      "node.pair.approve": { node: { token: "node-token-1" } },
    },
  });
  const env = isolatedEnv(dir.path, {
    CARAPACE_CREDENTIAL_STORE: "none",
    CARAPACE_GATEWAY_TOKEN: "tok",
  });
  const result = await runCaraInProcess(
    ["pair", `http://127.0.0.1:${peer.port}/ignored`, "--name", "laptop"],
    env,
  );
  assertEquals(result.code, 0, result.stderr);
  assertMatch(result.stdout, /Node token: saved in .*pairing\.json/);
  assertEquals(result.stdout.includes("node-token-1"), false);
  const ids = peer.received.map((f) => f.id);
  assertEquals(ids, ["connect-1", "pair-1", "pair-2"]);
  const path = join(dir.path, "pairing.json");
  assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);
  const saved = JSON.parse(await Deno.readTextFile(path));
  assertEquals(saved.gateway_url, `http://127.0.0.1:${peer.port}`);
  assertEquals(saved.device_name, "laptop");
  assertEquals(saved.token, "node-token-1");

  const noAuth = await runCaraInProcess(
    ["pair", `http://127.0.0.1:${peer.port}`],
    isolatedEnv(dir.path, { CARAPACE_CREDENTIAL_STORE: "none" }),
  );
  assertEquals(noAuth.code, 1);
  assertMatch(noAuth.stderr, /no gateway token or password/);
});
