import {
  assert,
  assertEquals,
  assertMatch,
  isolatedEnv,
  runCara,
  tempDir,
} from "../_helpers.ts";
import { startChatPeer } from "./_chat_peer.ts";
import { runCaraInPty } from "./_pty.ts";

function env(dir: string) {
  return isolatedEnv(dir, {
    CARAPACE_CREDENTIAL_STORE: "none",
    CARAPACE_GATEWAY_TOKEN: "tok",
    NO_COLOR: "1",
  });
}

Deno.test("cara chat in a terminal streams the reply, shows tools on stderr and handles /new and /exit", async () => {
  using dir = tempDir();
  await using peer = startChatPeer({ reply: ["Hel", "lo", " there"] });
  const { code, output } = await runCaraInPty(
    ["chat", "-p", String(peer.port)],
    {
      env: env(dir.path),
      steps: [
        { wait: "> ", send: "hi\r" },
        { wait: "lo there", send: "/new\r" },
        { wait: "New session", send: "/help\r" },
        { wait: "/model provider:model", send: "again\r" },
        { wait: "lo there", send: "/exit\r" },
      ],
    },
  );
  assertEquals(code, 0, output);
  assertMatch(output, /\[tool: echo\]/);
  const sends = peer.received.filter((r) => r.method === "chat.send");
  assertEquals(sends.length, 2, output);
  assertEquals(sends[0]!.params.sessionKey, "cli-chat");
  assertMatch(String(sends[1]!.params.sessionKey), /^cli-chat-[0-9a-f-]{36}$/);
});

Deno.test("cara chat: Ctrl-C aborts the running turn with chat.abort and the REPL goes on", async () => {
  using dir = tempDir();
  await using peer = startChatPeer({ hang: true });
  const { code, output } = await runCaraInPty([
    "chat",
    "--new",
    "-p",
    String(peer.port),
  ], {
    env: env(dir.path),
    steps: [
      { wait: "> ", send: "hi\r" },
      { wait: "Hello", send: "\x03" },
      { wait: "[aborted]", send: "/quit\r" },
    ],
  });
  assertEquals(code, 0, output);
  const abort = peer.received.find((r) => r.method === "chat.abort");
  assert(abort !== undefined, output);
  assertEquals(abort.params.reason, "user_interrupt");
});

Deno.test("cara chat refuses a non-terminal stdin and explains a gateway that is not running", async () => {
  using dir = tempDir();
  const refused = await runCara(["chat"], {
    env: env(dir.path),
    stdin: "hi\n",
  });
  assertEquals(refused.code, 1);
  assertMatch(
    refused.stderr,
    /stdin is not a terminal; .* --allow-non-terminal/,
  );
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const down = await runCara([
    "chat",
    "--allow-non-terminal",
    "-p",
    String(port),
  ], { env: env(dir.path), stdin: "hi\n" });
  assertEquals(down.code, 1);
  assertMatch(down.stderr, /Cannot reach the gateway .*cara start/);
});

Deno.test("cara chat recalls the previous message with the up arrow", async () => {
  using dir = tempDir();
  await using peer = startChatPeer({ reply: ["ok"] });
  const { code, output } = await runCaraInPty(
    ["chat", "-p", String(peer.port)],
    {
      env: env(dir.path),
      steps: [
        { wait: "> ", send: "remember me\r" },
        { wait: "ok", send: "\x1b[A" },
        { wait: "remember me", send: "\r" },
        { wait: "ok", send: "/exit\r" },
      ],
    },
  );
  assertEquals(code, 0, output);
  const sends = peer.received.filter((r) => r.method === "chat.send").map((r) =>
    r.params.message
  );
  assertEquals(sends, ["remember me", "remember me"]);
});
