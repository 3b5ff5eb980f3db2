/**
 * Child processes for daemon-guard tests.
 *
 * @module
 */

/** A running child process that is killed and reaped when disposed. */
export interface Child extends AsyncDisposable {
  readonly pid: number;
  readonly process: Deno.ChildProcess;
}

/** Spawns `_lock_holder.ts` on `stateDir` and waits until it holds the lock. */
export async function spawnLockHolder(stateDir: string): Promise<Child> {
  const script = new URL("./_lock_holder.ts", import.meta.url).pathname;
  const process = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, stateDir],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = process.stdout.getReader();
  const { value } = await reader.read();
  reader.releaseLock();
  const line = new TextDecoder().decode(value ?? new Uint8Array());
  if (!line.startsWith("locked")) throw new Error(`lock holder said "${line}"`);
  return asChild(process, true);
}

/** Spawns a process that just sleeps (a live pid that holds no lock). */
export function spawnSleeper(): Child {
  const process = new Deno.Command("sleep", {
    args: ["60"],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  return asChild(process, false);
}

function asChild(process: Deno.ChildProcess, piped: boolean): Child {
  return {
    pid: process.pid,
    process,
    async [Symbol.asyncDispose]() {
      try {
        process.kill("SIGKILL");
      } catch {
        // already exited
      }
      await process.status;
      if (piped) {
        await process.stdout.cancel().catch(() => {});
        await process.stdin.close().catch(() => {});
      }
    },
  };
}
