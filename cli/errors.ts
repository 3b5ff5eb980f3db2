/**
 * Errors a command throws to end the process with a message and an exit code.
 * Only `cli/run.ts` turns them into output; commands never call `Deno.exit`.
 *
 * @module
 */

/** Exit code for a handled failure. */
export const EXIT_FAILURE = 1;
/** Exit code for a usage error (unknown flag, missing argument). */
export const EXIT_USAGE = 2;

/**
 * A failure the user must act on: printed as one line `Error: <message>`.
 *
 * @example
 * ```ts
 * throw new CliError(`Key not found: "gateway.nope"`);
 * ```
 */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(
    message: string,
    options: { exitCode?: number; cause?: unknown } = {},
  ) {
    super(
      message,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = "CliError";
    this.exitCode = options.exitCode ?? EXIT_FAILURE;
  }
}
