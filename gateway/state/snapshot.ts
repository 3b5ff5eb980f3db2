/**
 * A consistent copy of the live SQLite database, taken with `VACUUM INTO`
 * through a read-only connection: it sees one committed state even while
 * another connection is writing, and never blocks that writer.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { CaraError } from "../errors.ts";

/** How long the snapshot waits for a lock held by another connection. */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * Writes a consistent snapshot of `dbPath` to the new file `destPath` (mode 0600).
 *
 * @throws {CaraError} `snapshot_source_missing` when `dbPath` is not a regular
 *   file, `snapshot_dest_exists` when `destPath` exists (even as a symlink)
 * @example
 * ```ts
 * await snapshotDatabase(resolveDatabasePath(env), "/tmp/x/state.db");
 * ```
 */
export async function snapshotDatabase(
  dbPath: string,
  destPath: string,
): Promise<void> {
  await requireRegularFile(dbPath);
  try {
    // Created empty first so the copy is 0600 from its first byte; O_EXCL
    // refuses an existing file and never follows a symlink.
    await Deno.writeFile(destPath, new Uint8Array(), {
      createNew: true,
      mode: 0o600,
    });
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) {
      throw new CaraError(
        "snapshot_dest_exists",
        `Cannot snapshot the database to "${destPath}": it already exists; choose a new path`,
      );
    }
    throw error;
  }
  try {
    await Deno.chmod(destPath, 0o600).catch(() => {});
    const db = new DatabaseSync(dbPath, {
      readOnly: true,
      timeout: BUSY_TIMEOUT_MS,
    });
    try {
      db.prepare("VACUUM INTO ?").run(destPath);
    } finally {
      db.close();
    }
  } catch (error) {
    await Deno.remove(destPath).catch(() => {});
    throw error;
  }
}

async function requireRegularFile(path: string): Promise<void> {
  let info: Deno.FileInfo | null = null;
  try {
    info = await Deno.lstat(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  if (!info?.isFile) {
    throw new CaraError(
      "snapshot_source_missing",
      `Cannot snapshot the database "${path}": ${
        info ? "it is not a regular file" : "it does not exist"
      }`,
    );
  }
}
