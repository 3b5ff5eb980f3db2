/**
 * What every command receives: its output streams and its environment.
 * Tests build a context with captured output and a private environment; the
 * real one comes from {@linkcode processContext}.
 *
 * @module
 */
import type { EnvTarget } from "../gateway/config/env_section.ts";
import type { Env } from "../gateway/config/paths.ts";

/** Where a command writes. `out` is for results, `err` for diagnostics. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Whether stdout is an interactive terminal (progress bars, colours). */
  readonly isTerminal: boolean;
  /** Whether stderr is an interactive terminal (human-readable log lines). */
  readonly errIsTerminal: boolean;
}

/** Collaborators of a command invocation. */
export interface CliContext {
  readonly io: CliIo;
  /** The environment as it was when the command started, read-only. */
  readonly env: Env;
  /** Where `cara start` injects the config's `env` section. */
  readonly envTarget: EnvTarget;
  readonly cwd: string;
}

const encoder = new TextEncoder();

/**
 * Writes all of `text`; a reader that went away (`cara … | head`) is not an
 * error of ours, so a broken pipe ends the output quietly.
 */
function writeAll(
  stream: { writeSync(p: Uint8Array): number },
  text: string,
): void {
  const bytes = encoder.encode(text);
  try {
    for (let offset = 0; offset < bytes.length;) {
      offset += stream.writeSync(bytes.subarray(offset));
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
  }
}

/** The context of the running process: real stdout/stderr and environment. */
export function processContext(): CliContext {
  return {
    io: {
      out: (text) => writeAll(Deno.stdout, text),
      err: (text) => writeAll(Deno.stderr, text),
      isTerminal: Deno.stdout.isTerminal(),
      errIsTerminal: Deno.stderr.isTerminal(),
    },
    env: Deno.env.toObject(),
    envTarget: Deno.env,
    cwd: Deno.cwd(),
  };
}

/** A context whose output is collected in memory, for tests and embedding. */
export function captureContext(
  env: Env,
  cwd = Deno.cwd(),
): CliContext & { stdout(): string; stderr(): string } {
  let out = "";
  let err = "";
  return {
    io: {
      out: (text) => void (out += text),
      err: (text) => void (err += text),
      isTerminal: false,
      errIsTerminal: false,
    },
    env,
    envTarget: mapEnvTarget(),
    cwd,
    stdout: () => out,
    stderr: () => err,
  };
}

function mapEnvTarget(): EnvTarget {
  const values = new Map<string, string>();
  return {
    get: (name) => values.get(name),
    set: (name, value) => void values.set(name, value),
    delete: (name) => void values.delete(name),
  };
}
