/**
 * `cara logs`: a snapshot of the gateway's recent log entries (WS `logs.tail`).
 *
 * @module
 */
import { Command, InvalidArgumentError } from "@commander-js/extra-typings";
import { gatewayCommand } from "./client/gateway_command.ts";
import { openGatewaySession } from "./client/gateway_session.ts";
import type { CliContext } from "./context.ts";
import { sanitizeJson, stripTerminalUnsafe } from "./terminal_text.ts";

interface TailEntry {
  timestamp?: unknown;
  level?: unknown;
  target?: unknown;
  message?: unknown;
}

/** Formats one entry: `<ISO8601 ms Z> [<level>] <target>: <message>`. */
export function formatLogEntry(entry: TailEntry): string {
  const ts = typeof entry.timestamp === "number"
    ? new Date(entry.timestamp).toISOString()
    : String(entry.timestamp ?? "");
  return stripTerminalUnsafe(
    `${ts} [${String(entry.level ?? "")}] ${String(entry.target ?? "")}: ${
      String(entry.message ?? "")
    }`,
  );
}

function parseLines(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 5000) {
    throw new InvalidArgumentError(
      `expected an integer from 1 to 5000, got "${value}"`,
    );
  }
  return n;
}

/** `cara logs [-n N] [-p PORT] [--host H] [--tls] [--trust] [--allow-plaintext] [--json]`. */
export function logsCommand(ctx: CliContext): Command<[], {
  lines: number;
  port?: number;
  host: string;
  tls?: true;
  trust?: true;
  allowPlaintext?: true;
  json?: true;
}> {
  return gatewayCommand("logs", "print the logs.tail payload as JSON")
    .description("print the gateway's most recent log entries")
    .option("-n, --lines <n>", "how many entries (1-5000)", parseLines, 50)
    .addHelpText(
      "after",
      "\nExamples:\n  cara logs\n  cara logs -n 200 --json\n  cara logs --host gw.example.net --tls --trust\n",
    )
    .action(async (options) => {
      await using client = await openGatewaySession(ctx, options, {
        role: "operator",
        scopes: ["operator.read"],
      });
      const tail = await client.request("logs.tail", {
        limit: options.lines,
      }) as {
        entries?: TailEntry[];
        truncated?: boolean;
      };
      if (options.json) {
        ctx.io.out(`${JSON.stringify(sanitizeJson(tail), null, 2)}\n`);
        return;
      }
      for (const entry of tail.entries ?? []) {
        ctx.io.out(`${formatLogEntry(entry)}\n`);
      }
      if (tail.truncated) {
        ctx.io.err(
          "(older entries were left out; use --lines to ask for fewer)\n",
        );
      }
    });
}
