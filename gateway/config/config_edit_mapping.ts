/**
 * Turns what the config loader and writer throw into a
 * {@linkcode ConfigEditError} a client can act on.
 *
 * @module
 */
import { ConfigEditError, HASH_CONFLICT_MESSAGE } from "./config_edit_error.ts";
import { ConfigError } from "./errors.ts";

// I/O failures of the state dir: the gateway's problem, worth a retry later.
const IO_ERRORS = [
  Deno.errors.PermissionDenied,
  Deno.errors.NotFound,
  Deno.errors.AlreadyExists,
  Deno.errors.IsADirectory,
  Deno.errors.NotADirectory,
  Deno.errors.Busy,
];

/**
 * Maps a load/write failure; anything that is not a config or I/O failure
 * (our own bug) is returned unchanged so it keeps its stack trace.
 *
 * @example
 * ```ts
 * await writeConfig(target).catch((error) => { throw toConfigEditError(error); });
 * ```
 */
export function toConfigEditError(error: unknown): unknown {
  if (error instanceof ConfigEditError) return error;
  if (error instanceof ConfigError) {
    switch (error.kind) {
      case "validation":
        return new ConfigEditError("invalid", "invalid config", {
          details: {
            issues: [{
              severity: "error",
              path: error.keyPath ?? "(root)",
              message: error.message,
            }],
          },
          cause: error,
        });
      case "conflict":
        return new ConfigEditError("conflict", HASH_CONFLICT_MESSAGE, {
          cause: error,
        });
      case "read":
        return new ConfigEditError("unavailable", error.message, {
          cause: error,
        });
      default:
        return new ConfigEditError("rejected", error.message, {
          cause: error,
        });
    }
  }
  if (IO_ERRORS.some((kind) => error instanceof kind)) {
    return new ConfigEditError(
      "unavailable",
      `Cannot write the config file: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return error;
}
