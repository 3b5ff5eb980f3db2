/**
 * Starts a plugin sandbox in a child process of cara itself (sandbox layer
 * "process"): SIGKILL ends a runaway call for certain at the call limit, the
 * V8 heap is capped (`DENO_V8_FLAGS`, which the compiled binary honours
 * where it takes no flags), and the child gets an empty environment, so no
 * secret of the gateway's environment exists in its address space. Inside,
 * the plugin still runs in a Worker with permissions "none".
 *
 * @module
 */
import { selfCommand } from "../../cli/self_command.ts";
import type { HostFunctions } from "../host/types.ts";
import { decodeLine, encodeLine, type FromSandbox } from "./messages.ts";
import { forEachLine } from "./process_host.ts";
import { SandboxSession, type SandboxSessionOptions } from "./session.ts";

/** The hidden command that runs {@linkcode runPluginHost}. */
export const PLUGIN_HOST_ARGS: readonly string[] = ["plugins", "__host"];

/** Options of {@linkcode processSession}. */
export interface ProcessSessionOptions extends SandboxSessionOptions {
  /** V8 old-space cap of the child in MiB; default 256. */
  heapMiB?: number;
  /** Passed to selfCommand (tests). */
  execPath?: string;
}

/**
 * A {@linkcode SandboxSession} over a fresh `cara plugins __host` child.
 *
 * @example
 * ```ts
 * const session = processSession(host, { callTimeoutMs: 30_000 });
 * await session.load(transpiled, 1024);
 * ```
 */
export function processSession(
  host: HostFunctions,
  options: ProcessSessionOptions = {},
): SandboxSession {
  const { command, args } = selfCommand(
    PLUGIN_HOST_ARGS,
    options.execPath === undefined ? {} : { execPath: options.execPath },
  );
  const child = new Deno.Command(command, {
    args,
    clearEnv: true,
    env: { DENO_V8_FLAGS: `--max-old-space-size=${options.heapMiB ?? 256}` },
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  const encoder = new TextEncoder();
  const session = new SandboxSession(
    {
      send: (message) =>
        void writer.write(encoder.encode(encodeLine(message))).catch(() => {}),
      kill: () => {
        try {
          child.kill("SIGKILL");
        } catch {
          // already exited
        }
      },
    },
    host,
    options,
  );
  forEachLine(child.stdout, (line) => {
    if (line.trim() !== "") session.receive(decodeLine<FromSandbox>(line));
  }).catch(() => {});
  child.status.then((status) => {
    writer.close().catch(() => {});
    const how = status.signal
      ? `signal ${status.signal}`
      : `code ${status.code}`;
    session.exited(`the plugin process exited (${how})`);
  });
  return session;
}
