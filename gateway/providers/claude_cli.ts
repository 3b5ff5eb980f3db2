/**
 * `claude-cli:` — drives a local `claude` (Claude Code) binary as a
 * subprocess: `claude -p --output-format stream-json --verbose`, the prompt
 * on stdin, one JSON object per stdout line. Claude Code runs its own tools,
 * so cara's tools are not offered to it; aborting kills the process.
 *
 * @module
 */
import type { Env } from "../config/paths.ts";
import { toProviderError } from "./errors.ts";
import type { ProviderSettings } from "./settings.ts";
import {
  type Provider,
  ProviderError,
  type ProviderEvent,
  type ProviderRequest,
} from "./types.ts";

/** One stream-json line (wire names verbatim). */
interface CliLine {
  type?: string;
  subtype?: string;
  is_error?: boolean;
  result?: string;
  message?: { content?: { type: string; text?: string }[] };
  usage?: { input_tokens?: number; output_tokens?: number };
}

const MAX_STDERR = 2000;

/** The conversation as one prompt: earlier turns as a transcript, then the last message. */
export function cliPrompt(request: ProviderRequest): string {
  const lines = request.messages.map((m) => {
    const text = m.content.map((b) =>
      b.type === "text"
        ? b.text
        : b.type === "tool_result"
        ? `[tool result] ${b.content}`
        : `[tool call ${b.name}]`
    ).join("\n");
    return { role: m.role, text };
  });
  const last = lines.pop();
  const history = lines.map((l) =>
    `${l.role === "user" ? "User" : "Assistant"}: ${l.text}`
  ).join("\n\n");
  return history === ""
    ? last?.text ?? ""
    : `${history}\n\nUser: ${last?.text ?? ""}`;
}

async function* stdoutLines(
  stream: ReadableStream<Uint8Array>,
): AsyncGenerator<string> {
  let buffer = "";
  for await (const text of stream.pipeThrough(new TextDecoderStream())) {
    buffer += text;
    const parts = buffer.split("\n");
    buffer = parts.pop() ?? "";
    for (const line of parts) if (line.trim() !== "") yield line;
  }
  if (buffer.trim() !== "") yield buffer;
}

/**
 * Builds the Claude CLI provider; `options.path` names the binary, `env` is the child's whole environment.
 *
 * @example
 * ```ts
 * const cli = claudeCliProvider({ baseUrl: "", options: { path: "claude" } }, { processEnv: Deno.env.toObject() });
 * ```
 */
export function claudeCliProvider(
  settings: ProviderSettings,
  context: { processEnv?: Env },
): Provider {
  const path = settings.options?.path ?? "claude";
  const env = Object.fromEntries(
    Object.entries(context.processEnv ?? {}).filter((
      e,
    ): e is [string, string] => e[1] !== undefined),
  );
  async function* stream(
    request: ProviderRequest,
  ): AsyncGenerator<ProviderEvent> {
    const args = [
      "-p",
      "--output-format",
      "stream-json",
      "--verbose",
      "--model",
      request.model,
    ];
    if (settings.options?.maxTurns) {
      args.push("--max-turns", settings.options.maxTurns);
    }
    if (request.system !== undefined) {
      args.push("--append-system-prompt", request.system);
    }
    let child: Deno.ChildProcess;
    try {
      child = new Deno.Command(path, {
        args,
        env,
        clearEnv: true,
        stdin: "piped",
        stdout: "piped",
        stderr: "piped",
        signal: request.signal,
      }).spawn();
    } catch (error) {
      const missing = error instanceof Deno.errors.NotFound;
      throw new ProviderError(
        "claude-cli",
        "bad_request",
        missing
          ? `Cannot run "${path}": the program was not found; install Claude Code or set "claudeCli.path"`
          : `Cannot run "${path}": ${(error as Error).message}`,
        { cause: error },
      );
    }
    const stderr = new Response(child.stderr).text();
    try {
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(cliPrompt(request)));
      await writer.close();
      for await (const raw of stdoutLines(child.stdout)) {
        let line: CliLine;
        try {
          line = JSON.parse(raw) as CliLine;
        } catch (cause) {
          throw new ProviderError(
            "claude-cli",
            "protocol",
            `Cannot read the output of "${path}": a line is not JSON`,
            {
              cause,
            },
          );
        }
        if (line.type === "assistant") {
          for (const block of line.message?.content ?? []) {
            if (block.type === "text" && block.text) {
              yield { type: "text", delta: block.text };
            }
          }
        } else if (line.type === "result") {
          if (line.is_error || line.subtype !== "success") {
            throw new ProviderError(
              "claude-cli",
              "server",
              `Cannot finish the claude-cli answer: ${
                line.result ?? line.subtype
              }`,
            );
          }
          yield {
            type: "usage",
            inputTokens: line.usage?.input_tokens ?? 0,
            outputTokens: line.usage?.output_tokens ?? 0,
          };
          yield { type: "stop", reason: "end_turn" };
          return;
        }
      }
      const status = await child.status;
      if (request.signal.aborted) {
        throw new DOMException("aborted", "AbortError");
      }
      const detail =
        (await stderr).trim().split("\n")[0]?.slice(0, MAX_STDERR) ||
        `exit code ${status.code}`;
      throw new ProviderError(
        "claude-cli",
        "server",
        `Cannot finish the claude-cli answer: "${path}" ended without a result (${detail})`,
      );
    } catch (error) {
      throw toProviderError("claude-cli", error, { signal: request.signal });
    } finally {
      try {
        child.kill();
      } catch { /* already exited */ }
      await child.status;
      await stderr.catch(() => "");
    }
  }
  return { id: "claude-cli", stream };
}
