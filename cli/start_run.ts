/**
 * What `cara start` does once its flags are parsed: start the gateway, print
 * where it listens, and run until a signal stops it.
 *
 * @module
 */
import { BUILD_INFO } from "../gateway/build_info.ts";
import {
  type NativeMemory,
  tuneNativeMemory,
} from "../gateway/daemon/native_memory.ts";
import type { LogEntry } from "../gateway/logs/ring_buffer.ts";
import { formatLogText } from "../gateway/logs/text_line.ts";
import { type RunningGateway, startGateway } from "../gateway/start_gateway.ts";
import { onProcessSignals } from "./_signals.ts";
import type { CliContext } from "./context.ts";
import { CliError } from "./errors.ts";

/** Exit code when a second signal interrupts the graceful shutdown. */
export const EXIT_FORCED = 130;

/** The flags of `cara start`. */
export interface StartFlags {
  port?: number;
  quiet?: true;
}

/**
 * Runs the gateway in the foreground until SIGINT/SIGTERM; SIGHUP reloads.
 *
 * @throws {CliError} with exit code 130 when a second signal forces the exit
 */
export async function runStart(
  ctx: CliContext,
  flags: StartFlags,
): Promise<void> {
  // Freed memory is handed back from the first agent run on (not at start:
  // opening libc costs a millisecond that starting does not need).
  const memory: { current?: NativeMemory | null } = {};
  const afterRun = () => {
    if (memory.current === undefined) memory.current = tuneNativeMemory();
    memory.current?.settle();
  };
  // Signals are handled from the very start: a Ctrl-C while the gateway is
  // still starting stops it as soon as it is up (a second one exits at once).
  let gateway: RunningGateway | undefined;
  let stopRequested = false;
  let forced!: () => void;
  const forcedSignal = new Promise<"forced">((resolve) =>
    forced = () => resolve("forced")
  );
  const removeSignals = onProcessSignals({
    stop: () => {
      stopRequested = true;
      void gateway?.shutdown();
    },
    force: forced,
    reload: () => void gateway?.reload(),
  });
  try {
    const started = await Promise.race([
      startGateway({
        env: ctx.env,
        envTarget: ctx.envTarget,
        onRunEnd: afterRun,
        ...(flags.port === undefined ? {} : { port: flags.port }),
        ...(flags.quiet ? {} : {
          // People at a terminal read text; pipes and log collectors get JSON lines.
          console: (line: string, entry: LogEntry) =>
            ctx.io.err(
              `${ctx.io.errIsTerminal ? formatLogText(entry) : line}\n`,
            ),
        }),
      }),
      forcedSignal,
    ]);
    if (started === "forced") throw forcedExit();
    gateway = started;
    ctx.io.out(
      `cara ${BUILD_INFO.version} listening on ${gateway.url} (state: ${gateway.stateDir})\n`,
    );
    if (gateway.tlsFingerprint !== null) {
      ctx.io.out(
        `TLS certificate SHA-256 fingerprint: ${gateway.tlsFingerprint}\n`,
      );
    }
    if (stopRequested) void gateway.shutdown();
    const outcome = await Promise.race([
      gateway.finished.then(() => "stopped" as const),
      forcedSignal,
    ]);
    if (outcome === "forced") throw forcedExit();
  } finally {
    removeSignals();
    memory.current?.[Symbol.dispose]();
  }
}

function forcedExit(): CliError {
  return new CliError(
    "Shutdown interrupted by a second signal: exiting without cleanup",
    {
      exitCode: EXIT_FORCED,
    },
  );
}
