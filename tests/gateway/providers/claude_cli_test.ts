import { join } from "node:path";
import { claudeCliProvider } from "../../../gateway/providers/claude_cli.ts";
import type { ProviderRequest } from "../../../gateway/providers/types.ts";
import {
  type FakeClaudeMode,
  writeFakeClaude,
} from "../../fakes/claude_cli.ts";
import { assert, assertEquals, tempDir } from "../../_helpers.ts";
import { collect } from "./_conformance.ts";

function setup(dir: string, mode: FakeClaudeMode) {
  writeFakeClaude(dir, mode);
  // Found through PATH, like the real binary.
  return claudeCliProvider({
    baseUrl: "",
    options: { path: "claude", maxTurns: "3" },
  }, {
    processEnv: { PATH: `${dir}:/usr/bin:/bin` },
  });
}

function req(signal = new AbortController().signal): ProviderRequest {
  return {
    model: "sonnet",
    system: "Be brief.",
    messages: [
      { role: "user", content: [{ type: "text", text: "Hi" }] },
      { role: "assistant", content: [{ type: "text", text: "Hello" }] },
      { role: "user", content: [{ type: "text", text: "How are you?" }] },
    ],
    maxTokens: 10,
    signal,
  };
}

Deno.test("claude-cli stream() runs claude from PATH and streams its stream-json answer", async () => {
  using dir = tempDir();
  const { events, error } = await collect(
    setup(dir.path, "answer").stream(req()),
  );
  assertEquals(error, undefined);
  assertEquals(events, [
    { type: "text", delta: "Hello " },
    { type: "text", delta: "there" },
    { type: "usage", inputTokens: 7, outputTokens: 2 },
    { type: "stop", reason: "end_turn" },
  ]);
  const args = Deno.readTextFileSync(join(dir.path, "args")).trim().split("\n");
  assertEquals(args.slice(0, 8), [
    "-p",
    "--output-format",
    "stream-json",
    "--verbose",
    "--model",
    "sonnet",
    "--max-turns",
    "3",
  ]);
  assertEquals(args.slice(8), ["--append-system-prompt", "Be brief."]);
  assertEquals(
    Deno.readTextFileSync(join(dir.path, "stdin")),
    "User: Hi\n\nAssistant: Hello\n\nUser: How are you?",
  );
});

Deno.test("claude-cli stream() reports the first stderr line when claude exits without a result", async () => {
  using dir = tempDir();
  const { error } = await collect(setup(dir.path, "fail").stream(req()));
  assertEquals(error?.failure, "server");
  assert(
    error?.message.includes("Invalid API key · Please run /login"),
    String(error?.message),
  );
});

Deno.test("claude-cli stream() fails on an error result and when the binary is missing", async () => {
  using dir = tempDir();
  const { error } = await collect(
    setup(dir.path, "error_result").stream(req()),
  );
  assertEquals([error?.failure, error?.message], [
    "server",
    "Cannot finish the claude-cli answer: max turns reached",
  ]);
  const missing = claudeCliProvider({
    baseUrl: "",
    options: { path: "claude" },
  }, { processEnv: { PATH: dir.path } });
  Deno.removeSync(join(dir.path, "claude"));
  const second = await collect(missing.stream(req()));
  assertEquals(second.error?.failure, "bad_request");
  assert(second.error?.message.includes("install Claude Code"));
});

Deno.test("claude-cli stream() kills the process on abort", async () => {
  using dir = tempDir();
  const controller = new AbortController();
  const events = [];
  let failure: string | undefined;
  try {
    for await (
      const event of setup(dir.path, "hang").stream(req(controller.signal))
    ) {
      events.push(event);
      controller.abort();
    }
  } catch (error) {
    failure = (error as { failure?: string }).failure;
  }
  assertEquals([events.length, failure], [1, "aborted"]);
  const pid = Deno.readTextFileSync(join(dir.path, "pid")).trim();
  const alive = await new Deno.Command("kill", {
    args: ["-0", pid],
    stderr: "null",
  }).output();
  assertEquals(alive.success, false);
});
