/**
 * Whether a process id names a live (non-zombie) process, without signalling
 * it: Linux reads `/proc/<pid>/stat`, macOS and the BSDs ask `ps`, Windows
 * asks `tasklist`.
 *
 * @module
 */

/** Options of {@linkcode isProcessAlive}. */
export interface ProcessAliveOptions {
  /** Which platform's method to use; defaults to `Deno.build.os`. */
  os?: typeof Deno.build.os;
}

/**
 * True when `pid` is a running process. Zombies (exited, not yet reaped)
 * count as dead.
 *
 * @example
 * ```ts
 * await isProcessAlive(Deno.pid); // true
 * ```
 */
export async function isProcessAlive(
  pid: number,
  options: ProcessAliveOptions = {},
): Promise<boolean> {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  const os = options.os ?? Deno.build.os;
  if (os === "linux" || os === "android") return await aliveFromProc(pid);
  if (os === "windows") return await aliveFromTasklist(pid);
  return await aliveFromPs(pid);
}

async function aliveFromProc(pid: number): Promise<boolean> {
  let stat: string;
  try {
    stat = await Deno.readTextFile(`/proc/${pid}/stat`);
  } catch {
    return false;
  }
  // Format: "pid (comm) S ..."; comm may itself contain ")".
  const state = stat.slice(stat.lastIndexOf(")") + 1).trim().charAt(0);
  return state !== "" && state !== "Z" && state !== "X";
}

async function aliveFromPs(pid: number): Promise<boolean> {
  const output = await runQuietly("ps", ["-o", "stat=", "-p", String(pid)]);
  if (output === null) return false;
  const state = output.trim().charAt(0);
  return state !== "" && state !== "Z";
}

async function aliveFromTasklist(pid: number): Promise<boolean> {
  const output = await runQuietly("tasklist", [
    "/FI",
    `PID eq ${pid}`,
    "/NH",
    "/FO",
    "CSV",
  ]);
  return output !== null && output.includes(`"${pid}"`);
}

async function runQuietly(
  command: string,
  args: string[],
): Promise<string | null> {
  try {
    const result = await new Deno.Command(command, {
      args,
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).output();
    return result.success ? new TextDecoder().decode(result.stdout) : null;
  } catch {
    return null;
  }
}
