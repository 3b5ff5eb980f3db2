/**
 * Recognises the plain ways of starting the gateway (`cara`, `cara start`,
 * `--port N`, `--quiet`) without loading the argument parser.
 *
 * Why: commander pulls in Deno's Node `fs` and `child_process` layers, about
 * 40 ms of start-up — a third of the time to the first `/health`. Anything
 * this does not recognise exactly (help, a bad port, another flag) returns
 * `null` and goes through commander, which owns every message and error.
 * tests/cli/start_fast_path_test.ts checks that both parsers agree.
 *
 * @module
 */
import type { StartFlags } from "./start_run.ts";

const PORT = /^\d{1,5}$/;

function port(value: string | undefined): number | null {
  if (value === undefined || !PORT.test(value)) return null;
  const number = Number(value);
  return number <= 65535 ? number : null;
}

/** The start flags when `argv` is a plain start invocation, else `null`. */
export function parseStartFastPath(argv: readonly string[]): StartFlags | null {
  const args = argv[0] === "start" ? argv.slice(1) : [...argv];
  const flags: StartFlags = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if ((arg === "-q" || arg === "--quiet") && !flags.quiet) {
      flags.quiet = true;
      continue;
    }
    if (flags.port !== undefined) return null;
    const inline = arg.startsWith("--port=")
      ? arg.slice("--port=".length)
      : undefined;
    const value = inline ??
      ((arg === "-p" || arg === "--port") ? args[++i] : undefined);
    const parsed = port(value);
    if (parsed === null) return null;
    flags.port = parsed;
  }
  return flags;
}
