/**
 * Smoke test of a release binary on its native runner: `cara version`, then
 * `cara start --port <free port>` with a temporary state dir until
 * `GET /health` answers 200 (30 s at most), then stop it.
 *
 * Usage: `deno run -A .github/scripts/smoke.ts <cara binary> [prefix args…]`
 * (prefix args let it run `deno run … main.ts` from a checkout too).
 *
 * @module
 */
import { isAbsolute, resolve } from "node:path";
import type { CommandLine } from "../../bench/_process.ts";
import { freePort, spawnServer, waitForHealth } from "../../bench/_process.ts";

/**
 * Runs the smoke test against `cara`, a command line that runs cara.
 * Returns the lines it would log.
 *
 * @throws Error naming the step that failed and the process output
 */
export async function smokeTest(
  cara: CommandLine,
  options: { timeoutMs?: number } = {},
): Promise<string[]> {
  const log: string[] = [];
  const version = await new Deno.Command(cara.command, {
    args: [...cara.args, "version"],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  const printed = decoder.decode(version.stdout).trim();
  if (!version.success || printed === "") {
    throw new Error(
      `Run "cara version" failed: exit code ${version.code}, output:\n${printed}\n${
        decoder.decode(version.stderr)
      }`,
    );
  }
  log.push(`cara version: ${printed}`);
  const stateDir = await Deno.makeTempDir({ prefix: "cara-smoke-" });
  const port = freePort();
  try {
    await using server = spawnServer(
      {
        command: cara.command,
        args: [...cara.args, "start", "--port", String(port)],
      },
      { port, env: { CARAPACE_STATE_DIR: stateDir } },
    );
    const ms = await waitForHealth(server, {
      timeoutMs: options.timeoutMs ?? 30_000,
      intervalMs: 50,
    });
    log.push(`cara start: GET /health answered 200 after ${Math.round(ms)} ms`);
  } finally {
    await Deno.remove(stateDir, { recursive: true }).catch(() => {});
  }
  return log;
}

if (import.meta.main) {
  const [command, ...args] = Deno.args;
  if (command === undefined) {
    throw new TypeError(
      "Run the smoke test failed: no binary given, pass the path of the cara executable",
    );
  }
  // A relative binary path is resolved here, the same way on every OS.
  const isPath = /[\\/]/.test(command) && !isAbsolute(command);
  const cara = { command: isPath ? resolve(command) : command, args };
  for (const line of await smokeTest(cara)) {
    Deno.stdout.writeSync(new TextEncoder().encode(line + "\n"));
  }
}
