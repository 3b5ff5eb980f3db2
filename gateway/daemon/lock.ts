/**
 * The daemon lock: `cara start` holds an exclusive OS lock on
 * `<stateDir>/daemon.lock` for its whole lifetime and records itself in
 * `daemon.pid`. The OS drops the lock when the process dies, so a crash never
 * leaves a daemon "running" on paper.
 *
 * @module
 */
import { join } from "node:path";
import { CaraError } from "../errors.ts";
import { readPidFile, removePidFile, writePidFile } from "./pid_file.ts";

/** The lock file name inside the state dir. */
export const LOCK_FILE = "daemon.lock";

/** A held daemon lock; release it (or `await using` it) when the daemon stops. */
export interface DaemonLock extends AsyncDisposable {
  readonly pid: number;
  readonly lockPath: string;
  readonly pidPath: string;
  /** Removes the pid file and drops the lock. Safe to call twice. */
  release(): Promise<void>;
}

/** Options of {@linkcode acquireDaemonLock}. */
export interface AcquireDaemonLockOptions {
  /** Clock for the recorded start time; defaults to `new Date()`. */
  now?: () => Date;
}

/**
 * Takes the daemon lock of `stateDir` without blocking and writes `daemon.pid`.
 * The file operations are synchronous: this is a step of `cara start` before
 * the gateway serves, and each of them would otherwise cost a round trip
 * through the runtime's I/O threads.
 *
 * @throws {CaraError} `daemon_running` when another process holds the lock,
 *   `daemon_lock_unsafe` when the lock file is a symlink or not a file
 * @example
 * ```ts
 * await using lock = await acquireDaemonLock(resolveStateDir(ctx.env));
 * ```
 */
export async function acquireDaemonLock(
  stateDir: string,
  options: AcquireDaemonLockOptions = {},
): Promise<DaemonLock> {
  Deno.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const lockPath = join(stateDir, LOCK_FILE);
  refuseUnsafeLockFile(lockPath);
  const file = Deno.openSync(lockPath, {
    read: true,
    write: true,
    create: true,
    mode: 0o600,
  });
  let locked = false;
  try {
    locked = file.tryLockSync(true);
    if (!locked) {
      const holder = await readPidFile(stateDir);
      const who = holder ? `pid ${holder.pid}` : "pid unknown";
      throw new CaraError(
        "daemon_running",
        `Cannot start the cara daemon: another one (${who}) holds "${lockPath}"; stop it first`,
      );
    }
    // A pid file without the lock is stale by definition: overwrite it.
    const startedAt = (options.now ?? (() => new Date()))();
    const pidPath = writePidFile(stateDir, { pid: Deno.pid, startedAt });
    return heldLock(file, { stateDir, lockPath, pidPath });
  } catch (error) {
    if (locked) await file.unlock().catch(() => {});
    file.close();
    throw error;
  }
}

function heldLock(
  file: Deno.FsFile,
  paths: { stateDir: string; lockPath: string; pidPath: string },
): DaemonLock {
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    try {
      await removePidFile(paths.stateDir, Deno.pid);
    } finally {
      await file.unlock().catch(() => {});
      file.close();
    }
  };
  return {
    pid: Deno.pid,
    lockPath: paths.lockPath,
    pidPath: paths.pidPath,
    release,
    [Symbol.asyncDispose]: release,
  };
}

function refuseUnsafeLockFile(lockPath: string): void {
  let info: Deno.FileInfo;
  try {
    info = Deno.lstatSync(lockPath);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  if (!info.isFile) {
    throw new CaraError(
      "daemon_lock_unsafe",
      `Cannot start the cara daemon: "${lockPath}" is not a regular file; remove it and retry`,
    );
  }
}
