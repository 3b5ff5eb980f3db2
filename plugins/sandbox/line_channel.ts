/**
 * JSON-lines framing over raw byte channels (a Unix socket, a child's stdio)
 * between the gateway and a plugin's process. Raw reads and writes, not
 * streams: every call crosses this path twice and stream machinery costs
 * a third of it.
 *
 * @module
 */

/** A byte source: Deno.stdin, a Deno.Conn. */
export interface ByteReader {
  read(buffer: Uint8Array): Promise<number | null>;
}

/** A byte sink: Deno.stdout, a Deno.Conn. */
export interface ByteWriter {
  write(bytes: Uint8Array): Promise<number>;
}

/**
 * Calls `onLine` with each line read (messages never contain "\n") until
 * the source ends.
 */
export async function readLines(
  input: ByteReader,
  onLine: (line: string) => void,
): Promise<void> {
  const decoder = new TextDecoder();
  const buffer = new Uint8Array(64 * 1024);
  const parts: string[] = [];
  for (;;) {
    const read = await input.read(buffer);
    if (read === null) return;
    splitLines(
      decoder.decode(buffer.subarray(0, read), { stream: true }),
      parts,
      onLine,
    );
  }
}

/** Calls `onLine` with each line of a byte stream until it ends. */
export async function readStreamLines(
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
      splitLines(decoder.decode(value, { stream: true }), parts, onLine);
    }
  } finally {
    reader.releaseLock();
  }
}

// `parts` holds text after the last newline seen so far. Only the new text
// is searched: a 16 MB load line arrives in many chunks.
function splitLines(
  text: string,
  parts: string[],
  onLine: (line: string) => void,
): void {
  for (
    let newline = text.indexOf("\n");
    newline >= 0;
    newline = text.indexOf("\n")
  ) {
    parts.push(text.slice(0, newline));
    onLine(parts.join(""));
    parts.length = 0;
    text = text.slice(newline + 1);
  }
  if (text !== "") parts.push(text);
}

/** Writes lines in order, each completely. */
export class LineWriter {
  readonly #output: Promise<ByteWriter>;
  readonly #encoder = new TextEncoder();
  #writing: Promise<void> = Promise.resolve();

  /** `output` may still be opening; lines wait for it. */
  constructor(output: ByteWriter | Promise<ByteWriter>) {
    this.#output = Promise.resolve(output);
  }

  /** Queues `line` (ending in "\n", as `encodeLine` makes it); resolves once written. */
  write(line: string): Promise<void> {
    const bytes = this.#encoder.encode(line);
    const next = this.#writing.then(async () => {
      const output = await this.#output;
      for (let offset = 0; offset < bytes.length;) {
        offset += await output.write(bytes.subarray(offset));
      }
    });
    this.#writing = next.catch(() => {});
    return next;
  }

  /** Resolves when everything queued so far was written (or failed). */
  drained(): Promise<void> {
    return this.#writing;
  }
}
