/**
 * The base class of errors a person (operator, client, peer) must act on.
 *
 * Each boundary maps it once: the CLI prints `Error: <message>` and exits 1,
 * HTTP answers 4xx/5xx with the message, WS answers with `code`. Anything that
 * is not a `CaraError` is our own bug and is reported with its stack trace.
 *
 * @module
 */

/**
 * A failure with a stable machine-readable `code` and a one-line message that
 * says what was wrong and what to do.
 *
 * @example
 * ```ts
 * throw new CaraError("state_dir_not_owned", `Cannot use state dir "/x": it is owned by uid 0, expected 1000`);
 * ```
 */
export class CaraError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CaraError";
    this.code = code;
  }
}
