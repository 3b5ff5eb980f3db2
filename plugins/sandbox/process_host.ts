/**
 * The child-process side of an untrusted plugin (`cara plugins __host`):
 * relays JSON lines between its stdin/stdout and a sandbox Worker with
 * permissions "none". Started with a clean environment and a V8 heap cap
 * by process_transport.ts; the gateway SIGKILLs it at the call limit.
 *
 * @module
 */
import { decodeLine, encodeLine, type ToSandbox } from "./messages.ts";
import { spawnSandboxWorker } from "./worker_transport.ts";

/** Splits a byte stream into lines (messages never contain "\n"). */
export async function* readLines(
  stream: ReadableStream<Uint8Array>,
): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of stream) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline = buffer.indexOf("\n");
    while (newline >= 0) {
      yield buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf("\n");
    }
  }
}

/**
 * Serves one plugin over stdio until stdin closes (the gateway went away).
 *
 * @example
 * ```ts
 * await runPluginHost(Deno.stdin.readable, Deno.stdout.writable);
 * ```
 */
export async function runPluginHost(
  input: ReadableStream<Uint8Array>,
  output: WritableStream<Uint8Array>,
): Promise<void> {
  const writer = output.getWriter();
  const encoder = new TextEncoder();
  const worker = spawnSandboxWorker();
  let writing = Promise.resolve();
  worker.onmessage = (event) => {
    const line = encoder.encode(encodeLine(event.data));
    writing = writing.then(() => writer.write(line));
  };
  worker.onerror = (event) => {
    event.preventDefault();
    worker.terminate();
    input.cancel().catch(() => {});
  };
  try {
    for await (const line of readLines(input)) {
      if (line.trim() !== "") worker.postMessage(decodeLine<ToSandbox>(line));
    }
  } finally {
    worker.terminate();
    await writing.catch(() => {});
    writer.releaseLock();
  }
}
