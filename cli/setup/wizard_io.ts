/**
 * Terminal plumbing of the setup wizard: where prompts draw, and ending the
 * wizard when a prompt is cancelled (Ctrl-C, Esc) — nothing has been written
 * yet then, so it just stops with one line.
 *
 * @module
 */
import { cancel, type CommonOptions, isCancel } from "@clack/prompts";
import process from "node:process";
import { Writable } from "node:stream";
import { CliError } from "../errors.ts";

/** Width assumed when the terminal reports none (a pty without a size). */
const FALLBACK_COLUMNS = 80;

/**
 * Prompt options that draw on stdout; a terminal that reports 0 columns
 * gets an 80-column view, since prompts wrap at the reported width.
 */
export function wizardOutput(): CommonOptions {
  const stdout = process.stdout;
  if (stdout.columns > 0) return { output: stdout };
  const output = new Writable({
    write(chunk, encoding, callback) {
      stdout.write(chunk, encoding, callback);
    },
  });
  Object.defineProperties(output, {
    columns: { value: FALLBACK_COLUMNS },
    rows: { value: stdout.rows > 0 ? stdout.rows : 24 },
    isTTY: { value: true },
  });
  return { output };
}

/**
 * The prompt's answer, or a thrown {@linkcode CliError} when it was cancelled.
 *
 * @example
 * ```ts
 * const port = answered(await text({ message: "Port", ...wizardOutput() }));
 * ```
 */
export function answered<T>(value: T): Exclude<T, symbol> {
  if (isCancel(value)) {
    cancel("Setup cancelled.", wizardOutput());
    throw new CliError("Setup cancelled: nothing was written");
  }
  return value as Exclude<T, symbol>;
}
