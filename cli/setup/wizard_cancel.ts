/**
 * Ending the wizard when a prompt is cancelled (Ctrl-C, Esc): nothing has
 * been written yet, so it just stops with one line.
 *
 * @module
 */
import { cancel, isCancel } from "@clack/prompts";
import { CliError } from "../errors.ts";

/**
 * The prompt's answer, or a thrown {@linkcode CliError} when it was cancelled.
 *
 * @example
 * ```ts
 * const port = answered(await text({ message: "Port" }));
 * ```
 */
export function answered<T>(value: T): Exclude<T, symbol> {
  if (isCancel(value)) {
    cancel("Setup cancelled.");
    throw new CliError("Setup cancelled: nothing was written");
  }
  return value as Exclude<T, symbol>;
}
