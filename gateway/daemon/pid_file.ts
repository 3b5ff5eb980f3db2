/**
 * The `daemon.pid` file: which process runs the gateway, and since when.
 * Written atomically with mode 0600; read without following symlinks and
 * never more than {@linkcode PID_FILE_MAX_BYTES}.
 *
 * @module
 */
import { writeFileAtomicSync } from "../config/atomic_write.ts";
import { join } from "node:path";

/** The pid file name inside the state dir. */
export const PID_FILE = "daemon.pid";
/** A pid file larger than this is not ours and is ignored. */
export const PID_FILE_MAX_BYTES = 4096;

/** What a pid file records. */
export interface PidRecord {
  pid: number;
  /** ISO 8601 start time, or null when the file does not say. */
  startedAt: string | null;
}

/**
 * Writes `<stateDir>/daemon.pid` atomically (temp file + rename, mode 0600),
 * synchronously: it is a step of `cara start` before the gateway serves.
 * Not flushed to disk: after a crash the file is stale whatever it holds
 * (an unreadable one counts as no daemon), and the flush cost every start
 * several milliseconds.
 */
export function writePidFile(
  stateDir: string,
  record: { pid: number; startedAt: Date },
): string {
  const path = join(stateDir, PID_FILE);
  const text = `${record.pid}\nstarted=${record.startedAt.toISOString()}\n`;
  writeFileAtomicSync(path, text, { durable: false });
  return path;
}

/**
 * Reads `<stateDir>/daemon.pid`; null when it is absent, a symlink, not a
 * regular file, too large or unparseable.
 */
export async function readPidFile(stateDir: string): Promise<PidRecord | null> {
  const path = join(stateDir, PID_FILE);
  const text = await readSmallRegularFile(path, PID_FILE_MAX_BYTES);
  if (text === null) return null;
  const [first = "", ...rest] = text.split("\n");
  if (!/^\d{1,10}$/.test(first.trim())) return null;
  const pid = Number(first.trim());
  if (!Number.isSafeInteger(pid) || pid <= 1) return null;
  const started = rest.find((line) => line.startsWith("started="));
  return { pid, startedAt: started?.slice("started=".length) ?? null };
}

/** Removes the pid file when it still names `pid` (a newer daemon's file stays). */
export async function removePidFile(
  stateDir: string,
  pid: number,
): Promise<void> {
  const record = await readPidFile(stateDir);
  if (record?.pid !== pid) return;
  try {
    await Deno.remove(join(stateDir, PID_FILE));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

async function readSmallRegularFile(
  path: string,
  maxBytes: number,
): Promise<string | null> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(path);
  } catch {
    return null;
  }
  if (!info.isFile || info.size > maxBytes) return null;
  using file = await Deno.open(path, { read: true });
  // The path may have been swapped for a symlink between lstat and open.
  const opened = await file.stat();
  if (opened.ino !== info.ino || opened.dev !== info.dev) return null;
  const buffer = new Uint8Array(maxBytes + 1);
  let length = 0;
  while (length < buffer.length) {
    const read = await file.read(buffer.subarray(length));
    if (read === null) break;
    length += read;
  }
  if (length > maxBytes) return null;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(
      buffer.subarray(0, length),
    );
  } catch {
    return null;
  }
}
