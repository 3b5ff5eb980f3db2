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
 * Calls `onLine` with each line of a byte stream (messages never contain
 * "\n") until it ends. A plain loop, not an async generator: every call
 * crosses this path twice.
 */
export async function forEachLine(
  stream: ReadableStream<Uint8Array>,
  onLine: (line: string) => void,
): Promise<void> {
  const decoder = new TextDecoder();
  const parts: string[] = [];
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      for (
        const line of splitLines(decoder.decode(value, { stream: true }), parts)
      ) {
        onLine(line);
      }
    }
  } finally {
    reader.releaseLock();
  }
}

// Complete lines of `text`, with `parts` holding what came before the first
// newline and, afterwards, what follows the last one. Only the new text is
// searched: a 16 MB load line arrives in many chunks.
function* splitLines(text: string, parts: string[]): Generator<string> {
  for (
    let newline = text.indexOf("\n");
    newline >= 0;
    newline = text.indexOf("\n")
  ) {
    parts.push(text.slice(0, newline));
    yield parts.join("");
    parts.length = 0;
    text = text.slice(newline + 1);
  }
  if (text !== "") parts.push(text);
}

/** Where the host reads the gateway's messages (Deno.stdin fits). */
export interface HostInput {
  read(buffer: Uint8Array): Promise<number | null>;
}

/** Where the host writes its answers (Deno.stdout fits). */
export interface HostOutput {
  write(bytes: Uint8Array): Promise<number>;
}

/**
 * Serves one plugin until `input` ends (the gateway went away). Reads and
 * writes raw bytes: stream machinery on this path costs a third of a call.
 *
 * @example
 * ```ts
 * dropPermissions();
 * await runPluginHost(Deno.stdin, Deno.stdout);
 * ```
 */
export async function runPluginHost(
  input: HostInput,
  output: HostOutput,
): Promise<void> {
  const encoder = new TextEncoder();
  let writing = Promise.resolve();
  const handle = serveSandbox((message) => {
    const bytes = encoder.encode(encodeLine(message));
    writing = writing.then(() => writeAll(output, bytes));
  });
  const decoder = new TextDecoder();
  const buffer = new Uint8Array(64 * 1024);
  const parts: string[] = [];
  for (;;) {
    const read = await input.read(buffer);
    if (read === null) break;
    const text = decoder.decode(buffer.subarray(0, read), { stream: true });
    for (const line of splitLines(text, parts)) {
      if (line.trim() !== "") void handle(decodeLine<ToSandbox>(line));
    }
  }
  await writing.catch(() => {});
}

async function writeAll(output: HostOutput, bytes: Uint8Array): Promise<void> {
  for (let offset = 0; offset < bytes.length;) {
    offset += await output.write(bytes.subarray(offset));
  }
}
