/**
 * Small private files (keys, identities, pins): read with a size cap without
 * following symlinks, written atomically with mode 0600 in a 0700 directory.
 *
 * @module
 */
import { dirname } from "node:path";
import { writeFileAtomic } from "../config/atomic_write.ts";
import { CaraError } from "../errors.ts";

/** Options of {@linkcode readPrivateFile}. */
export interface ReadPrivateFileOptions {
  /** The largest file accepted, in bytes. */
  maxBytes: number;
  /** What the file is, for messages (e.g. "device identity"). */
  what: string;
  /** Accept a symlink to a regular file (operator-configured paths such as certbot's). */
  followSymlinks?: boolean;
}

/**
 * The text of `path`, or `null` when it does not exist. Symlinks, FIFOs and
 * other non-regular files are refused, and so is a file over `maxBytes`.
 *
 * @throws {CaraError} `private_file_unsafe` or `private_file_unreadable`
 */
export async function readPrivateFile(
  path: string,
  options: ReadPrivateFileOptions,
): Promise<string | null> {
  let info: Deno.FileInfo;
  try {
    info = options.followSymlinks
      ? await Deno.stat(path)
      : await Deno.lstat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw unreadable(path, options.what, error);
  }
  if (info.isSymlink || !info.isFile) {
    throw new CaraError(
      "private_file_unsafe",
      `Cannot read ${options.what} "${path}": it is ${
        info.isSymlink ? "a symlink" : "not a regular file"
      }; replace it with a regular file`,
    );
  }
  if (info.size > options.maxBytes) throw tooLarge(path, options);
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (error) {
    throw unreadable(path, options.what, error);
  }
  try {
    const opened = await file.stat();
    // The path was swapped between lstat and open: refuse rather than guess.
    if (opened.ino !== info.ino || opened.dev !== info.dev) {
      throw new CaraError(
        "private_file_unsafe",
        `Cannot read ${options.what} "${path}": the file changed while it was opened; try again`,
      );
    }
    const buffer = new Uint8Array(options.maxBytes + 1);
    let used = 0;
    while (used < buffer.length) {
      const n = await file.read(buffer.subarray(used));
      if (n === null) break;
      used += n;
    }
    if (used > options.maxBytes) throw tooLarge(path, options);
    return new TextDecoder("utf-8", { fatal: true }).decode(
      buffer.subarray(0, used),
    );
  } catch (error) {
    if (error instanceof CaraError) throw error;
    throw unreadable(path, options.what, error);
  } finally {
    file.close();
  }
}

/**
 * Atomically replaces `path` with `text` (mode 0600); the parent directory is
 * created with 0700, or tightened to 0700 when it already exists.
 */
export async function writePrivateFile(
  path: string,
  text: string,
): Promise<void> {
  await ensurePrivateDir(dirname(path));
  await writeFileAtomic(path, text, { mode: 0o600 });
}

/** Creates `dir` (0700) or tightens an existing one to 0700 (not on Windows). */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  if (Deno.build.os !== "windows") await Deno.chmod(dir, 0o700);
}

function tooLarge(path: string, options: ReadPrivateFileOptions): CaraError {
  return new CaraError(
    "private_file_unsafe",
    `Cannot read ${options.what} "${path}": it is larger than ${options.maxBytes} bytes`,
  );
}

function unreadable(path: string, what: string, cause: unknown): CaraError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new CaraError(
    "private_file_unreadable",
    `Cannot read ${what} "${path}": ${reason}`,
    { cause },
  );
}
