/**
 * Creates the database file owner-only before SQLite opens it.
 *
 * SQLite gives a new `-wal` / `-shm` file the mode of the main file, so a
 * 0600 main file keeps the whole database private.
 *
 * @module
 */
import { dirname } from "node:path";
import { CaraError } from "../errors.ts";

const PRIVATE_FILE = 0o600;
const COMPANIONS = ["", "-wal", "-shm", "-journal"];

function fail(path: string, problem: string, cause?: unknown): CaraError {
  return new CaraError(
    "state_db_open_failed",
    `Cannot open state database "${path}": ${problem}`,
    { cause },
  );
}

function tighten(path: string): void {
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  if (info.mode !== null && (info.mode & 0o077) !== 0) {
    Deno.chmodSync(path, PRIVATE_FILE);
  }
}

/**
 * Makes sure `path` is a regular file with mode 0600, creating it if needed,
 * and tightens any existing `-wal` / `-shm` / `-journal` companion to 0600.
 *
 * @throws {CaraError} `state_db_open_failed` when the directory is missing or
 *   the path is not a regular file
 */
export function preparePrivateFile(path: string): void {
  try {
    Deno.openSync(path, { write: true, createNew: true, mode: PRIVATE_FILE })
      .close();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw fail(
        path,
        `directory "${
          dirname(path)
        }" does not exist; create the state dir first`,
        error,
      );
    }
    if (!(error instanceof Deno.errors.AlreadyExists)) {
      throw fail(path, error instanceof Error ? error.message : String(error));
    }
  }
  const info = Deno.statSync(path);
  if (!info.isFile) {
    throw fail(path, "it is not a regular file; move it aside");
  }
  if (Deno.build.os === "windows") return;
  for (const suffix of COMPANIONS) tighten(path + suffix);
}
