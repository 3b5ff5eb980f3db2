import {
  assertEquals,
  assertMatch,
  isolatedEnv,
  runCaraInProcess,
  tempDir,
} from "../_helpers.ts";
import { startChatPeer } from "./_chat_peer.ts";

function env(dir: string) {
  return isolatedEnv(dir, {
    CARAPACE_CREDENTIAL_STORE: "none",
    CARAPACE_GATEWAY_TOKEN: "tok",
  });
}

Deno.test("cara verify --outcome local-chat passes after a streamed chat.send reaches final", async () => {
  using dir = tempDir();
  await using peer = startChatPeer();
  const result = await runCaraInProcess([
    "verify",
    "--outcome",
    "local-chat",
    "-p",
    String(peer.port),
  ], env(dir.path));
  assertEquals(result.code, 0, result.stderr);
  assertMatch(result.stdout, /^PASS gateway reachable/m);
  assertMatch(
    result.stdout,
    /^PASS local chat round trip: run run-1 finished/m,
  );
  const send = peer.received.find((r) => r.method === "chat.send")!;
  assertMatch(String(send.params.sessionKey), /^cli-verify-/);
  assertEquals([send.params.stream, send.params.triggerAgent], [true, true]);
});

Deno.test("cara verify fails with exit 1 when no provider answers (queued) or no gateway runs", async () => {
  using dir = tempDir();
  {
    await using peer = startChatPeer({ queued: true });
    const result = await runCaraInProcess([
      "verify",
      "--outcome",
      "local-chat",
      "-p",
      String(peer.port),
    ], env(dir.path));
    assertEquals(result.code, 1);
    assertMatch(
      result.stdout,
      /^FAIL local chat round trip: no provider available/m,
    );
  }
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const down = await runCaraInProcess(
    ["verify", "-p", String(port)],
    env(dir.path),
  );
  assertEquals(down.code, 1);
  assertMatch(
    down.stdout,
    /^FAIL gateway reachable: nothing answers .* "cara start"/m,
  );
});

Deno.test("cara verify skips outcomes not in this build and reports incomplete", async () => {
  using dir = tempDir();
  const result = await runCaraInProcess(
    ["verify", "--outcome", "discord"],
    env(dir.path),
  );
  assertEquals(result.code, 1);
  assertMatch(result.stdout, /^SKIP discord: not available in this build/m);
  assertMatch(result.stderr, /incomplete/);
});
