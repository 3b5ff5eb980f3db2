import { assertEquals, tempDir } from "../../_helpers.ts";
import { openDatabase } from "../../../gateway/state/mod.ts";
import { startScriptedAnthropic } from "./_scripted_anthropic.ts";

Deno.test("createAgentRuns() keeps the user message and the partial reply when the process is killed mid-stream", async () => {
  using dir = tempDir();
  await using peer = startScriptedAnthropic();
  peer.push({ steps: [{ text: "half a rep" }, { hang: true }] });
  const dbPath = `${dir.path}/state.db`;
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("./_crash_child.ts", import.meta.url).pathname,
      dbPath,
      peer.origin,
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!seen.includes("delta")) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += value;
  }
  child.kill("SIGKILL");
  await child.status;
  await reader.cancel();
  using state = openDatabase(dbPath);
  const session = state.sessions.getByKey("crash")!;
  const messages = state.sessions.messages.list(session.id);
  assertEquals(messages.map((m) => [m.role, m.content, m.incomplete]), [
    ["user", "tell me", false],
    ["assistant", "half a rep", true],
  ]);
});
