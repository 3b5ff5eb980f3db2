/**
 * `cara start` (also plain `cara`): run the gateway in the foreground.
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import { BUILD_INFO } from "../gateway/build_info.ts";
import { startGateway } from "../gateway/start_gateway.ts";
import { onProcessSignals } from "./_signals.ts";
import type { CliContext } from "./context.ts";
import { CliError } from "./errors.ts";
import { parsePort } from "./status.ts";

/** Exit code when a second signal interrupts the graceful shutdown. */
export const EXIT_FORCED = 130;

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
      const gateway = await startGateway({
        env: ctx.env,
        envTarget: ctx.envTarget,
        ...(options.port === undefined ? {} : { port: options.port }),
        ...(options.quiet
          ? {}
          : { console: (line: string) => ctx.io.err(`${line}\n`) }),
      });
      ctx.io.out(
        `cara ${BUILD_INFO.version} listening on ${gateway.url} (state: ${gateway.stateDir})\n`,
      );
      let forced!: () => void;
      const forcedSignal = new Promise<"forced">((resolve) =>
        forced = () => resolve("forced")
      );
      const removeSignals = onProcessSignals({
        stop: () => void gateway.shutdown(),
        force: forced,
        reload: () => void gateway.reload(),
      });
      try {
        const outcome = await Promise.race([
          gateway.finished.then(() => "stopped" as const),
          forcedSignal,
        ]);
        if (outcome === "forced") {
          throw new CliError(
            "Shutdown interrupted by a second signal: exiting without cleanup",
            {
              exitCode: EXIT_FORCED,
            },
          );
        }
      } finally {
        removeSignals();
      }
    });
}

function parsePortOrZero(value: string): number {
  return value === "0" ? 0 : parsePort(value);
}
