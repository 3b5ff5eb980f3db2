/**
 * A fake `claude` executable for the claude-cli provider: a shell script in a
 * temp dir that records its arguments and stdin, then prints Claude Code's
 * `stream-json` lines (init, assistant messages, result) — or fails, or
 * hangs, as scripted.
 *
 * @module
 */
import { join } from "node:path";

/** What the fake does. */
export type FakeClaudeMode = "answer" | "fail" | "hang" | "error_result";

/** Writes `claude` into `dir` (mode 0700) and returns its path. */
export function writeFakeClaude(dir: string, mode: FakeClaudeMode): string {
  const path = join(dir, "claude");
  const line = (value: unknown) => `printf '%s\\n' '${JSON.stringify(value)}'`;
  const body = {
    answer: [
      line({
        type: "system",
        subtype: "init",
        session_id: "s1",
        model: "sonnet",
      }),
      line({
        type: "assistant",
        message: { content: [{ type: "text", text: "Hello " }] },
      }),
      line({
        type: "assistant",
        message: { content: [{ type: "text", text: "there" }] },
      }),
      line({
        type: "result",
        subtype: "success",
        is_error: false,
        result: "Hello there",
        usage: { input_tokens: 7, output_tokens: 2 },
      }),
    ],
    fail: [`echo "Invalid API key · Please run /login" >&2`, "exit 1"],
    hang: [
      line({
        type: "assistant",
        message: { content: [{ type: "text", text: "thinking" }] },
      }),
      "exec sleep 30",
    ],
    error_result: [
      line({
        type: "result",
        subtype: "error_max_turns",
        is_error: true,
        result: "max turns reached",
      }),
    ],
  }[mode];
  Deno.writeTextFileSync(
    path,
    [
      "#!/bin/sh",
      `printf '%s\\n' "$@" > "${dir}/args"`,
      `cat > "${dir}/stdin"`,
      `echo $$ > "${dir}/pid"`,
      ...body,
    ].join("\n") + "\n",
    { mode: 0o700 },
  );
  return path;
}
