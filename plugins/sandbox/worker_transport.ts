/**
 * Starts a plugin sandbox in a Worker with Deno permissions "none" (sandbox
 * layer "permissions"). `worker.terminate()` ends the Worker at the call
 * limit, but a runaway plugin of an untrusted source runs in a child process
 * instead (see process_transport.ts), which SIGKILL ends for certain.
 *
 * @module
 */
import { entryModuleUrl } from "../../cli/self_command.ts";
import type { HostFunctions } from "../host/types.ts";
import type { FromSandbox } from "./messages.ts";
import { SandboxSession, type SandboxSessionOptions } from "./session.ts";

/**
 * Spawns the sandbox Worker; the caller owns the returned Worker. Its entry
 * is found by {@linkcode entryModuleUrl}, so it works from the sources and
 * from the release bundle, where the entry is bundled on its own.
 */
export function spawnSandboxWorker(): Worker {
  return new Worker(entryModuleUrl("plugins/sandbox/worker_entry.ts"), {
    type: "module",
    name: "cara-plugin",
    deno: { permissions: "none" },
  });
}

/**
 * A {@linkcode SandboxSession} over a fresh Worker.
 *
 * @example
 * ```ts
 * const session = workerSession(host, { callTimeoutMs: 30_000 });
 * await session.load(transpiled, 1024);
 * const outcome = await session.call("tool", "get-definitions", []);
 * ```
 */
export function workerSession(
  host: HostFunctions,
  options: SandboxSessionOptions = {},
): SandboxSession {
  const worker = spawnSandboxWorker();
  const session = new SandboxSession(
    {
      send: (message) => worker.postMessage(message),
      kill: () => worker.terminate(),
    },
    host,
    options,
  );
  worker.onmessage = (event: MessageEvent<FromSandbox>) =>
    session.receive(event.data);
  worker.onerror = (event) => {
    event.preventDefault();
    session.exited(`the plugin sandbox failed: ${event.message}`);
    worker.terminate();
  };
  return session;
}
