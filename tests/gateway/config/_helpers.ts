/**
 * Helpers private to the config tests.
 *
 * @module
 */
import { dirname, join } from "node:path";
import {
  ConfigError,
  type ConfigErrorKind,
} from "../../../gateway/config/errors.ts";

/** Writes `files` (name → text) under `dir`, creating subdirectories. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    Deno.mkdirSync(dirname(path), { recursive: true });
    Deno.writeTextFileSync(path, text);
  }
}

/** Awaits `promise` and returns its ConfigError, failing unless it has `kind`. */
export async function configErrorOf(
  promise: Promise<unknown> | (() => unknown),
  kind: ConfigErrorKind,
): Promise<ConfigError> {
  try {
    await (typeof promise === "function" ? promise() : promise);
  } catch (error) {
    if (error instanceof ConfigError && error.kind === kind) return error;
    throw new Error(`expected ConfigError "${kind}", got ${String(error)}`, {
      cause: error,
    });
  }
  throw new Error(`expected ConfigError "${kind}", but nothing was thrown`);
}
