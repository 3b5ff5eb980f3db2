/**
 * The servers the benchmarks compare: cara itself and a bare Hono baseline,
 * each started on a free port with a fresh temporary state dir.
 *
 * @module
 */
import { pathToFileURL } from "node:url";
import { ensureBundle } from "../.github/scripts/bundle.ts";
import { RUN_FLAGS, selfCommand } from "../cli/self_command.ts";
import {
  type CommandLine,
  freePort,
  type ServerProcess,
  spawnServer,
} from "./_process.ts";

/** A kind of server a benchmark starts. */
export interface ServerSpec {
  name: string;
  commandLine(port: number): CommandLine;
  /**
   * A state dir shared by every start of this spec (a restart of an installed
   * gateway); without it each start gets a new, empty one (a first start).
   */
  stateDir?: string;
}

/**
 * The entry module of cara as it ships (the release bundle's `main.js`),
 * built first when missing or stale, as a file URL.
 */
export async function releaseMainModule(): Promise<string> {
  const bundle = await ensureBundle();
  return pathToFileURL(bundle.entry).href;
}

/**
 * `cara start --port <port>`, spawned the way cara spawns itself: from the
 * sources, or from `mainModule` (the release bundle's `main.js`), run with
 * the same Deno flags. With `stateDir`, every start reuses that state dir.
 */
export function caraServer(
  options: { name?: string; stateDir?: string; mainModule?: string } = {},
): ServerSpec {
  const self = options.mainModule === undefined
    ? {}
    : { mainModule: options.mainModule };
  return {
    name: options.name ?? "cara",
    commandLine: (port) => selfCommand(["start", "--port", String(port)], self),
    ...(options.stateDir === undefined ? {} : { stateDir: options.stateDir }),
  };
}

/** The bare Hono fixture, run with the same Deno flags as cara. */
export function bareHonoServer(): ServerSpec {
  const fixture = new URL("./fixtures/bare_hono.ts", import.meta.url).href;
  return {
    name: "bare_hono",
    commandLine: (port) => ({
      command: Deno.execPath(),
      args: [...RUN_FLAGS, fixture, "--port", String(port)],
    }),
  };
}

/**
 * Starts `spec` on a free port with `CARAPACE_STATE_DIR` set to a new temp
 * dir; disposing the result stops the process and removes the dir.
 */
export function startServer(spec: ServerSpec): ServerProcess {
  const shared = spec.stateDir;
  const stateDir = shared ??
    Deno.makeTempDirSync({ prefix: `cara-bench-${spec.name}-` });
  const port = freePort();
  const server = spawnServer(spec.commandLine(port), {
    port,
    env: { CARAPACE_STATE_DIR: stateDir },
  });
  async function stop(graceMs?: number): Promise<void> {
    try {
      await server.stop(graceMs);
    } finally {
      if (shared === undefined) {
        await Deno.remove(stateDir, { recursive: true }).catch(() => {});
      }
    }
  }
  return { ...server, stop, [Symbol.asyncDispose]: () => stop() };
}
