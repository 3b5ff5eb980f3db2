/**
 * Resident set size of a process, read from the operating system.
 *
 * @module
 */

const KIB_PER_MIB = 1024;

/**
 * The resident set size of process `pid` in MiB.
 *
 * @throws Error on operating systems without a supported source (Windows)
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
    const out = await new Deno.Command("ps", {
      args: ["-o", "rss=", "-p", String(pid)],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const kib = Number(new TextDecoder().decode(out.stdout).trim());
    if (!out.success || !Number.isFinite(kib) || kib <= 0) {
      throw new Error(
        `Read the RSS of process "${pid}" failed: "ps -o rss=" gave no size`,
      );
    }
    return kib / KIB_PER_MIB;
  }
  throw new Error(
    `Read the RSS of process "${pid}" failed: "${Deno.build.os}" is not supported, run this benchmark on Linux or macOS`,
  );
}
