/**
 * Resident set size of a process, read from the operating system.
 *
 * @module
 */

const KIB_PER_MIB = 1024;

/**
 * The resident set size of process `pid` in MiB.
 *
 * @throws Error when the OS gives no size (or is not Linux, macOS, Windows)
 */
export async function readRssMib(pid: number): Promise<number> {
  if (Deno.build.os === "linux") {
    const status = await Deno.readTextFile(`/proc/${pid}/status`);
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
    if (match?.[1] === undefined) {
      throw new Error(
        `Read the RSS of process "${pid}" failed: /proc/${pid}/status has no VmRSS line`,
      );
    }
    return Number(match[1]) / KIB_PER_MIB;
  }
  if (Deno.build.os === "darwin") {
    const kib = Number(await run("ps", ["-o", "rss=", "-p", String(pid)]));
    return checked(pid, kib, '"ps -o rss="') / KIB_PER_MIB;
  }
  if (Deno.build.os === "windows") {
    const csv = await run("tasklist", [
      "/FI",
      `PID eq ${pid}`,
      "/FO",
      "CSV",
      "/NH",
    ]);
    return checked(pid, parseTasklistKib(csv), '"tasklist"') / KIB_PER_MIB;
  }
  throw new Error(
    `Read the RSS of process "${pid}" failed: "${Deno.build.os}" is not supported, run this benchmark on Linux, macOS or Windows`,
  );
}

/** The working set in KiB from one line of `tasklist /FO CSV /NH` output. */
export function parseTasklistKib(csv: string): number {
  // "deno.exe","1234","Console","1","39,812 K": the separator depends on the locale.
  const memory = csv.trim().split("\n")[0]?.split('","').at(-1) ?? "";
  const digits = memory.replace(/[^0-9]/g, "");
  return digits === "" ? Number.NaN : Number(digits);
}

async function run(command: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(command, {
    args,
    stdout: "piped",
    stderr: "null",
  }).output();
  return out.success ? new TextDecoder().decode(out.stdout).trim() : "";
}

function checked(pid: number, kib: number, source: string): number {
  if (!Number.isFinite(kib) || kib <= 0) {
    throw new Error(
      `Read the RSS of process "${pid}" failed: ${source} gave no size for it`,
    );
  }
  return kib;
}
