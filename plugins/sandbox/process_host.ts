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
  let parts: string[] = [];
  for await (const chunk of stream) {
    let text = decoder.decode(chunk, { stream: true });
    // Search only the new text: a 16 MB load line arrives in many chunks.
    for (
      let newline = text.indexOf("\n");
      newline >= 0;
      newline = text.indexOf("\n")
    ) {
      parts.push(text.slice(0, newline));
      yield parts.join("");
      parts = [];
      text = text.slice(newline + 1);
    }
    if (text !== "") parts.push(text);
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
