/**
 * Streams a gzip'd tar into an open file: `tar-stream` packs, the web
 * `CompressionStream` compresses, and file contents flow through with
 * backpressure instead of being loaded whole.
 *
 * @module
 */
import tar from "tar-stream";

/** Adds entries in order, then {@linkcode TarGzWriter.finish} flushes everything. */
export interface TarGzWriter {
  addDirectory(name: string, mtime: Date): Promise<void>;
  addBytes(
    name: string,
    data: Uint8Array,
    options: EntryOptions,
  ): Promise<void>;
  /** Streams the regular file at `path`; fails if its size changes meanwhile. */
  addFile(name: string, path: string, options: EntryOptions): Promise<void>;
  finish(): Promise<void>;
}

/** Header fields of a file entry. */
export interface EntryOptions {
  mode: number;
  mtime: Date;
}

/**
 * Starts a tar.gz stream into `file` (the writer closes it on finish).
 *
 * @example
 * ```ts
 * const writer = openTarGzWriter(await Deno.open(path, { write: true, createNew: true }));
 * await writer.addBytes("a.txt", bytes, { mode: 0o644, mtime: new Date() });
 * await writer.finish();
 * ```
 */
export function openTarGzWriter(file: Deno.FsFile): TarGzWriter {
  const pack = tar.pack();
  // tar-stream emits Buffers (Uint8Array subclasses) that own their memory.
  const chunks = pack as AsyncIterable<Uint8Array<ArrayBuffer>>;
  const piped = ReadableStream.from(chunks)
    .pipeThrough(new CompressionStream("gzip"))
    .pipeTo(file.writable);
  // Surface a failed pipe when the next entry is added, not as an unhandled rejection.
  let pipeError: unknown = null;
  piped.catch((error) => (pipeError = error));

  function entry(header: Partial<tar.Header> & { name: string }): {
    stream: ReturnType<tar.Pack["entry"]>;
    done: Promise<void>;
  } {
    if (pipeError !== null) throw pipeError;
    let settle: (error?: Error | null) => void = () => {};
    const done = new Promise<void>((resolve, reject) => {
      settle = (error) => (error ? reject(error) : resolve());
    });
    return { stream: pack.entry(header, (error) => settle(error)), done };
  }

  return {
    async addDirectory(name, mtime) {
      const { stream, done } = entry({
        name,
        type: "directory",
        mode: 0o755,
        mtime,
      });
      stream.end(null);
      await done;
    },
    async addBytes(name, data, options) {
      const { stream, done } = entry({ name, size: data.length, ...options });
      stream.end(data);
      await done;
    },
    async addFile(name, path, options) {
      using source = await Deno.open(path, { read: true });
      const { size } = await source.stat();
      const { stream, done } = entry({ name, size, ...options });
      for await (const chunk of source.readable) {
        if (!stream.write(chunk)) {
          await new Promise<void>((resolve) => stream.once("drain", resolve));
        }
      }
      stream.end(null);
      await done;
    },
    async finish() {
      pack.finalize();
      await piped;
    },
  };
}
