/**
 * Reads one config file with a size cap and parses it as JSON5.
 *
 * @module
 */
import { sha256Hex } from "../sha256.ts";
// @ts-types="npm:json5@^2.2.3"
import JSON5 from "json5";
import { ConfigError } from "./errors.ts";

/** The most bytes one config file (top level or include) may hold: 4 MiB. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
/** The deepest nesting a config file may use. */
export const MAX_CONFIG_DEPTH = 64;

/**
 * The text of a config file, or `null` when it does not exist.
 *
 * @throws {ConfigError} kind `read` when it is not a regular file, cannot be read or is over 4 MiB
 */
export async function readConfigText(path: string): Promise<string | null> {
  let file: Deno.FsFile;
  try {
    const info = await Deno.stat(path);
    if (!info.isFile) throw readError(path, "it is not a regular file");
    if (info.size > MAX_CONFIG_BYTES) throw tooLarge(path);
    file = await Deno.open(path, { read: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    if (error instanceof ConfigError) throw error;
    throw readError(path, describe(error), error);
  }
  try {
    const buffer = new Uint8Array(MAX_CONFIG_BYTES + 1);
    let used = 0;
    while (used < buffer.length) {
      const n = await file.read(buffer.subarray(used));
      if (n === null) break;
      used += n;
    }
    if (used > MAX_CONFIG_BYTES) throw tooLarge(path);
    return new TextDecoder("utf-8", { fatal: true }).decode(
      buffer.subarray(0, used),
    );
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw readError(path, describe(error), error);
  } finally {
    file.close();
  }
}

/**
 * Parses JSON5 text; errors name the file, line and column.
 *
 * @throws {ConfigError} kind `parse`
 */
export function parseConfigText(text: string, path: string): unknown {
  let value: unknown;
  try {
    value = JSON5.parse(text);
  } catch (error) {
    const at = error as { lineNumber?: number; columnNumber?: number };
    const where = at.lineNumber === undefined
      ? ""
      : ` at line ${at.lineNumber}, column ${at.columnNumber}`;
    const reason = error instanceof Error
      ? error.message.replace(/^JSON5: /, "").replace(/ at \d+:\d+$/, "")
      : String(error);
    throw new ConfigError(
      "parse",
      `Cannot parse config "${path}"${where}: ${reason}; fix the JSON5 syntax`,
      { path, cause: error },
    );
  }
  if (depthOf(value, 0) > MAX_CONFIG_DEPTH) {
    throw new ConfigError(
      "parse",
      `Cannot parse config "${path}": it nests deeper than ${MAX_CONFIG_DEPTH} levels`,
      { path },
    );
  }
  return value;
}

export { sha256Hex };

function depthOf(value: unknown, depth: number): number {
  if (depth > MAX_CONFIG_DEPTH || typeof value !== "object" || value === null) {
    return depth;
  }
  let max = depth + 1;
  for (const item of Object.values(value)) {
    max = Math.max(max, depthOf(item, depth + 1));
    if (max > MAX_CONFIG_DEPTH) break;
  }
  return max;
}

function tooLarge(path: string): ConfigError {
  return readError(path, `it is larger than ${MAX_CONFIG_BYTES} bytes (4 MiB)`);
}

function readError(path: string, reason: string, cause?: unknown): ConfigError {
  return new ConfigError("read", `Cannot read config "${path}": ${reason}`, {
    path,
    ...(cause === undefined ? {} : { cause }),
  });
}

function describe(error: unknown): string {
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (error instanceof TypeError) return "it is not valid UTF-8";
  return error instanceof Error ? error.message : String(error);
}
