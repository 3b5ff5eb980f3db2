/**
 * `cara start` (also plain `cara`): run the gateway in the foreground.
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import type { CliContext } from "./context.ts";
import { parsePort } from "./status.ts";

/** `cara start [--port N] [--quiet]`. */
export function startCommand(
  ctx: CliContext,
): Command<[], { port?: number; quiet?: true }> {
  return new Command("start")
    .description("run the gateway in the foreground (the default command)")
    .option(
      "-p, --port <port>",
      "listen on this port instead of gateway.port (0 picks a free port)",
      parsePortOrZero,
    )
    .option(
      "-q, --quiet",
      "do not echo log lines on stderr (they still go to <state dir>/logs/cara.log)",
    )
    .addHelpText(
      "after",
      `
Stops gracefully on SIGINT/SIGTERM (a second signal exits at once with code 130)
and reloads the config on SIGHUP.

Examples:
  cara start
  cara start --port 18790
  CARAPACE_STATE_DIR=/tmp/cara-demo cara
`,
    )
    .action(async (options) => {
      const { runStart } = await import("./start_run.ts");
      await runStart(ctx, options);
    });
}

function parsePortOrZero(value: string): number {
  return value === "0" ? 0 : parsePort(value);
}
