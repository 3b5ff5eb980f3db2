/**
 * Is a cara daemon using this state dir? Commands that rewrite state
 * (backup, restore, reset, setup, import) ask before they start.
 *
 * @module
 */
import { join } from "node:path";
import { CaraError } from "../errors.ts";
import { LOCK_FILE } from "./lock.ts";
import { readPidFile } from "./pid_file.ts";
import { isProcessAlive } from "./process_alive.ts";

/** A daemon found running; `pid` is null when its lock is held but its pid file is unreadable. */
export interface RunningDaemon {
  pid: number | null;
}

/**
 * Finds the daemon of `stateDir`: its lock is held, or its pid file names a
 * live process other than this one. Stale or unparseable pid files count as
 * no daemon.
 *
 * @example
 * ```ts
 * const daemon = await findRunningDaemon(stateDir);
 * if (daemon) console.log(`running as pid ${daemon.pid}`);
 * ```
 */
export async function findRunningDaemon(
  stateDir: string,
): Promise<RunningDaemon | null> {
  const record = await readPidFile(stateDir);
  if (await isLockHeld(join(stateDir, LOCK_FILE))) {
    return { pid: record?.pid ?? null };
  }
  if (record && record.pid !== Deno.pid && await isProcessAlive(record.pid)) {
    return { pid: record.pid };
  }
  return null;
}

/**
 * Throws when a daemon runs on `stateDir`; `action` completes
 * "Cannot <action> while the cara daemon is running".
 *
 * @throws {CaraError} `daemon_running`
 */
export async function assertNoDaemonRunning(
  stateDir: string,
  action: string,
): Promise<void> {
  const daemon = await findRunningDaemon(stateDir);
  if (!daemon) return;
  const who = daemon.pid === null ? "pid unknown" : `pid ${daemon.pid}`;
  throw new CaraError(
    "daemon_running",
    `Cannot ${action} while the cara daemon is running (${who}): stop it and retry`,
  );
}

async function isLockHeld(lockPath: string): Promise<boolean> {
  try {
    const info = await Deno.lstat(lockPath);
    if (!info.isFile) return false;
  } catch {
    return false;
  }
  let file: Deno.FsFile;
  try {
    file = await Deno.open(lockPath, { read: true });
  } catch {
    return false;
  }
  try {
    const acquired = await file.tryLock(true);
    if (acquired) await file.unlock();
    return !acquired;
  } finally {
    file.close();
  }
}
