/**
 * The daemon guard: the lock `cara start` holds and the check other commands
 * run before they touch state.
 *
 * @module
 */
export {
  acquireDaemonLock,
  type AcquireDaemonLockOptions,
  type DaemonLock,
  LOCK_FILE,
} from "./lock.ts";
export {
  assertNoDaemonRunning,
  findRunningDaemon,
  type RunningDaemon,
} from "./find.ts";
export { PID_FILE, type PidRecord, readPidFile } from "./pid_file.ts";
export { isProcessAlive } from "./process_alive.ts";
