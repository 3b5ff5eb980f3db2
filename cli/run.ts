/**
 * The one place where a command's outcome becomes output and an exit code.
 *
 * @module
 */
import { CaraError } from "../gateway/errors.ts";
import type { CliContext } from "./context.ts";
import { CliError, EXIT_FAILURE, EXIT_USAGE } from "./errors.ts";
import { parseStartFastPath } from "./start_fast_path.ts";

/**
 * Runs `cara <argv>` and returns the exit code; never exits the process.
 *
 * @example
 * ```ts
 * const code = await runCli(["version"], processContext());
 * ```
 */
export async function runCli(
  argv: readonly string[],
  ctx: CliContext,
): Promise<number> {
  try {
    const plainStart = parseStartFastPath(argv);
    if (plainStart !== null) {
      const { runStart } = await import("./start_run.ts");
      await runStart(ctx, plainStart);
      return 0;
    }
    const { buildProgram } = await import("./program.ts");
    await buildProgram(ctx).parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    return exitCodeFor(error, ctx);
  }
}

function exitCodeFor(error: unknown, ctx: CliContext): number {
  if (isCommanderError(error)) {
    // commander already printed help, version or the usage error.
    if (error.exitCode === 0) return 0;
    return EXIT_USAGE;
  }
  if (error instanceof CliError) {
    ctx.io.err(`Error: ${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof CaraError) {
    ctx.io.err(`Error: ${error.message}\n`);
    return EXIT_FAILURE;
  }
  const detail = error instanceof Error
    ? error.stack ?? error.message
    : String(error);
  ctx.io.err(`Error: internal error in cara, please report it:\n${detail}\n`);
  return EXIT_FAILURE;
}

// Matched by shape so this module does not load commander (see start_fast_path.ts).
function isCommanderError(error: unknown): error is { exitCode: number } {
  return error instanceof Error &&
    (error.name === "CommanderError" ||
      error.name === "InvalidArgumentError") &&
    typeof (error as { exitCode?: unknown }).exitCode === "number";
}
