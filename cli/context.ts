/**
 * What every command receives: its output streams and its environment.
 * Tests build a context with captured output and a private environment; the
 * real one comes from {@linkcode processContext}.
 *
 * @module
 */
import type { Env } from "../gateway/config/paths.ts";

/** Where a command writes. `out` is for results, `err` for diagnostics. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Whether stdout is an interactive terminal (progress bars, colours). */
  readonly isTerminal: boolean;
}

/** Collaborators of a command invocation. */
export interface CliContext {
  readonly io: CliIo;
  readonly env: Env;
  readonly cwd: string;
}

const encoder = new TextEncoder();

/** The context of the running process: real stdout/stderr and environment. */
export function processContext(): CliContext {
  return {
    io: {
      out: (text) => Deno.stdout.writeSync(encoder.encode(text)),
      err: (text) => Deno.stderr.writeSync(encoder.encode(text)),
      isTerminal: Deno.stdout.isTerminal(),
    },
    env: Deno.env.toObject(),
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
    },
    env,
    cwd,
    stdout: () => out,
    stderr: () => err,
  };
}
