/**
 * The child-process side of an untrusted plugin (`cara plugins __host`).
 *
 * Which layer stops what here: the process boundary lets the gateway end a
 * runaway call with SIGKILL and caps the heap (`--max-old-space-size`, set
 * by process_transport.ts, with a clean environment); {@linkcode
 * dropPermissions} leaves the process no file, network, environment,
 * subprocess, FFI or system access, exactly like a Worker with permissions
 * "none", before any plugin code is loaded; the sandbox runtime then adds
 * the WASI deny shims and the memory maximum. The runtime runs on this
 * process's own thread: a Worker inside it would add a second message hop
 * to every call and no protection the dropped permissions do not give.
 *
 * @module
 */
import {
  type ByteReader,
  type ByteWriter,
  LineWriter,
  readLines,
} from "./line_channel.ts";
import { decodeLine, encodeLine, type ToSandbox } from "./messages.ts";
import { serveSandbox } from "./sandbox_runtime.ts";

/** Every permission a Deno process can hold. */
const PERMISSIONS = [
  "read",
  "write",
  "net",
  "env",
  "sys",
  "run",
  "ffi",
  "import",
] as const;

/**
 * Revokes every permission of this process. Open resources (stdin, stdout)
 * keep working.
 *
 * @throws Error when a permission is still granted afterwards
 */
export function dropPermissions(): void {
  for (const name of PERMISSIONS) Deno.permissions.revokeSync({ name });
  for (const name of PERMISSIONS) {
    if (Deno.permissions.querySync({ name }).state === "granted") {
      throw new Error(
        `Start the plugin sandbox failed: the "${name}" permission could not be dropped`,
      );
    }
  }
}

/**
 * Serves one plugin until `input` ends (the gateway went away).
 *
 * @example
 * ```ts
 * dropPermissions();
 * await runPluginHost(Deno.stdin, Deno.stdout);
 * ```
 */
export async function runPluginHost(
  input: ByteReader,
  output: ByteWriter,
): Promise<void> {
  const writer = new LineWriter(output);
  const handle = serveSandbox((message) => {
    writer.write(encodeLine(message)).catch(() => {});
  });
  await readLines(input, (line) => {
    if (line.trim() !== "") void handle(decodeLine<ToSandbox>(line));
  });
  await writer.drained();
}
