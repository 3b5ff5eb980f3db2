/**
 * `cara chat [--new] [--session KEY] [-p PORT] [--allow-non-terminal]`: a
 * REPL against the running gateway (cli.md `cara chat`). Text deltas go to
 * stdout, `[tool: name]` and the `> ` prompt to stderr; Ctrl-C aborts the
 * running turn (`chat.abort`), not the REPL.
 *
 * Unlike the reference, chat does not start an embedded gateway when none is
 * running: a second gateway inside a CLI process would contend for the
 * daemon lock and the state database. It says how to start one instead.
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import { openGatewaySession } from "./client/gateway_session.ts";
import type { GatewayClient } from "./client/ws_client.ts";
import { runChatTurn } from "./chat_turn.ts";
import type { CliContext } from "./context.ts";
import { LineEditor } from "./line_editor.ts";
import { CliError } from "./errors.ts";
import { parsePort } from "./status.ts";
import { stripTerminalUnsafe } from "./terminal_text.ts";

const HELP = `Commands:
  /help                 show this help
  /new                  start a new session
  /model provider:model use another model for this session
  /exit, /quit          leave (Ctrl-D too)
Ctrl-C aborts the running reply.
`;

/**
 * Reads lines from a terminal in raw mode through a {@linkcode LineEditor}
 * (arrows, history). Raw mode is on only while a line is being typed, so
 * Ctrl-C during a reply still arrives as SIGINT and aborts it.
 */
async function* terminalLines(
  ctx: CliContext,
  editor: LineEditor,
): AsyncGenerator<string> {
  const reader = Deno.stdin.readable.getReader();
  const decoder = new TextDecoder();
  try {
    while (true) {
      Deno.stdin.setRaw(true);
      let step = editor.feed("");
      while (step.done === undefined) {
        ctx.io.err(step.output);
        const { value, done } = await reader.read();
        if (done) return;
        step = editor.feed(decoder.decode(value, { stream: true }));
      }
      ctx.io.err(step.output);
      Deno.stdin.setRaw(false);
      if (step.done === null) return;
      editor.remember(step.done);
      editor.reset();
      yield step.done;
    }
  } finally {
    Deno.stdin.setRaw(false);
    reader.releaseLock();
  }
}

/** Reads lines from a non-terminal stdin. */
async function* stdinLines(): AsyncGenerator<string> {
  let buffer = "";
  for await (
    const chunk of Deno.stdin.readable.pipeThrough(new TextDecoderStream())
  ) {
    buffer += chunk;
    for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
      yield buffer.slice(0, nl).replace(/\r$/, "");
      buffer = buffer.slice(nl + 1);
    }
  }
  if (buffer !== "") yield buffer;
}

async function setModel(
  ctx: CliContext,
  client: GatewayClient,
  key: string,
  model: string,
) {
  try {
    await client.request("sessions.patch", { key, model });
    ctx.io.err(`Model for this session: ${model}\n`);
  } catch (error) {
    ctx.io.err(`${error instanceof Error ? error.message : String(error)}\n`);
  }
}

async function turn(
  ctx: CliContext,
  client: GatewayClient,
  message: string,
  sessionKey: string,
) {
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  Deno.addSignalListener("SIGINT", interrupt);
  try {
    const result = await runChatTurn(client, {
      message,
      sessionKey,
      signal: controller.signal,
      onText: (delta) => ctx.io.out(stripTerminalUnsafe(delta)),
      onTool: (name) => ctx.io.err(`[tool: ${stripTerminalUnsafe(name)}]\n`),
    });
    if (result.status === "queued") {
      ctx.io.err('No provider available: configure one with "cara setup"\n');
    } else if (result.status === "aborted") ctx.io.err("\n[aborted]\n");
    else if (result.status === "error") {
      ctx.io.err(`\nError: ${stripTerminalUnsafe(result.error ?? "")}\n`);
    } else if (result.status === "timeout") {
      ctx.io.err("\n[no reply in time]\n");
    } else ctx.io.out("\n");
  } finally {
    Deno.removeSignalListener("SIGINT", interrupt);
  }
}

/** Runs the REPL on an open connection until /exit or EOF. */
export async function chatRepl(
  ctx: CliContext,
  client: GatewayClient,
  firstKey: string,
): Promise<void> {
  let sessionKey = firstKey;
  const idle = () =>
    ctx.io.err("\n(Ctrl-C aborts a reply; type /exit to quit)\n> ");
  Deno.addSignalListener("SIGINT", idle);
  try {
    ctx.io.err(`Session ${sessionKey}. Type /help for commands.\n> `);
    const lines = Deno.stdin.isTerminal()
      ? terminalLines(ctx, new LineEditor("> "))
      : stdinLines();
    for await (const raw of lines) {
      const line = raw.trim();
      if (line === "/exit" || line === "/quit") return;
      if (line === "/help") ctx.io.err(HELP);
      else if (line === "/new") {
        sessionKey = `cli-chat-${crypto.randomUUID()}`;
        ctx.io.err(`New session ${sessionKey}\n`);
      } else if (line.startsWith("/model")) {
        const model = line.slice("/model".length).trim();
        if (model === "") ctx.io.err("Usage: /model provider:model\n");
        else await setModel(ctx, client, sessionKey, model);
      } else if (line.startsWith("/")) {
        ctx.io.err(`Unknown command "${line.split(/\s/)[0]}"; type /help\n`);
      } else if (line !== "") {
        Deno.removeSignalListener("SIGINT", idle);
        try {
          await turn(ctx, client, line, sessionKey);
        } finally {
          Deno.addSignalListener("SIGINT", idle);
        }
      }
      ctx.io.err("> ");
    }
  } finally {
    Deno.removeSignalListener("SIGINT", idle);
  }
}

/** The `cara chat` command. */
export function chatCommand(ctx: CliContext): Command<[], {
  new?: true;
  session?: string;
  port?: number;
  allowNonTerminal?: true;
}> {
  return new Command("chat")
    .description("chat with the assistant through the running gateway")
    .option("--new", "start a new session instead of resuming cli-chat")
    .option("--session <key>", "use this session key")
    .option(
      "-p, --port <port>",
      "gateway port (default: gateway.port, else 18789)",
      parsePort,
    )
    .option("--allow-non-terminal", "read messages from a non-terminal stdin")
    .addHelpText("after", "\nExamples:\n  cara chat\n  cara chat --new\n")
    .action(async (options) => {
      if (!Deno.stdin.isTerminal() && !options.allowNonTerminal) {
        throw new CliError(
          "Cannot start chat: stdin is not a terminal; run it interactively or pass --allow-non-terminal",
        );
      }
      if (options.new && options.session !== undefined) {
        throw new CliError(
          "Cannot start chat: use either --new or --session, not both",
        );
      }
      const sessionKey = options.session ??
        (options.new ? `cli-chat-${crypto.randomUUID()}` : "cli-chat");
      await using client = await openGatewaySession(ctx, {
        host: "127.0.0.1",
        ...(options.port === undefined ? {} : { port: options.port }),
      }, { role: "operator", scopes: ["operator.write"] });
      await chatRepl(ctx, client, sessionKey);
    });
}
