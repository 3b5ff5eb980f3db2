/**
 * Appends log lines to `<dir>/cara.log` (mode 0600) in the background and
 * rotates by size to `cara.log.1 … cara.log.<maxFiles>`.
 *
 * `write()` only queues: a request never waits for the disk. The queue is
 * capped so a flood cannot eat memory; lines beyond the cap are counted and
 * reported by one marker line once the disk catches up.
 *
 * @module
 */
import { join } from "node:path";

/** Options of {@linkcode FileSink}. */
export interface FileSinkOptions {
  /** Rotate before the file would exceed this size (default 10 MiB). */
  maxFileBytes?: number;
  /** How many rotated files to keep (default 5). */
  maxFiles?: number;
  /** Called once per failure kind when the disk refuses a write. */
  onError?: (error: unknown) => void;
}

/** The active log file's name inside the log dir. */
export const LOG_FILE_NAME = "cara.log";

const MAX_QUEUED_BYTES = 8 * 1024 * 1024;
/** How long the first queued line waits for others to join its write. */
export const BATCH_MS = 10;

const encoder = new TextEncoder();

/** A background, size-rotated JSON-lines file writer. */
export class FileSink {
  readonly #dir: string;
  readonly #path: string;
  readonly #maxFileBytes: number;
  readonly #maxFiles: number;
  readonly #onError: (error: unknown) => void;
  #queue: Uint8Array[] = [];
  #queuedBytes = 0;
  #dropped = 0;
  #file: Deno.FsFile | undefined;
  #size = 0;
  #draining: Promise<void> | undefined;
  #closed = false;
  #failed = false;

  constructor(dir: string, options: FileSinkOptions = {}) {
    this.#dir = dir;
    this.#path = join(dir, LOG_FILE_NAME);
    this.#maxFileBytes = positive(
      options.maxFileBytes ?? 10 * 1024 * 1024,
      "maxFileBytes",
    );
    this.#maxFiles = positive(options.maxFiles ?? 5, "maxFiles");
    this.#onError = options.onError ?? (() => {});
  }

  /** Queues one line (without its newline); never blocks and never throws. */
  write(line: string): void {
    if (this.#closed) return;
    const bytes = encoder.encode(`${line}\n`);
    if (this.#queuedBytes + bytes.byteLength > MAX_QUEUED_BYTES) {
      this.#dropped++;
      return;
    }
    this.#queue.push(bytes);
    this.#queuedBytes += bytes.byteLength;
    this.#draining ??= this.#drain().finally(
      () => (this.#draining = undefined),
    );
  }

  /** Resolves once every line queued so far is on disk. */
  async flush(): Promise<void> {
    while (this.#draining !== undefined) await this.#draining;
  }

  /** Flushes, closes the file and ignores later writes. */
  async close(): Promise<void> {
    await this.flush();
    this.#closed = true;
    this.#file?.close();
    this.#file = undefined;
  }

  async #drain(): Promise<void> {
    // Lines written meanwhile join this batch: one disk write per burst,
    // not per line. Never blocks a request.
    await new Promise((resolve) => setTimeout(resolve, BATCH_MS));
    while (this.#queue.length > 0) {
      const batch = this.#queue;
      this.#queue = [];
      this.#queuedBytes = 0;
      if (this.#dropped > 0) {
        batch.push(encoder.encode(`${droppedLine(this.#dropped)}\n`));
        this.#dropped = 0;
      }
      try {
        await this.#writeBatch(batch);
        this.#failed = false;
      } catch (error) {
        if (!this.#failed) this.#onError(error);
        this.#failed = true;
        this.#file?.close();
        this.#file = undefined;
      }
    }
  }

  async #writeBatch(lines: Uint8Array[]): Promise<void> {
    const file = this.#file ?? await this.#open();
    let chunk: Uint8Array[] = [];
    let chunkBytes = 0;
    for (const line of lines) {
      if (
        this.#size + chunkBytes > 0 &&
        this.#size + chunkBytes + line.byteLength > this.#maxFileBytes
      ) {
        await writeAll(this.#file ?? file, chunk);
        this.#size += chunkBytes;
        chunk = [];
        chunkBytes = 0;
        await this.#rotate();
      }
      chunk.push(line);
      chunkBytes += line.byteLength;
    }
    await writeAll(this.#file ?? file, chunk);
    this.#size += chunkBytes;
  }

  async #open(): Promise<Deno.FsFile> {
    await Deno.mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const file = await Deno.open(this.#path, {
      append: true,
      create: true,
      mode: 0o600,
    });
    if (Deno.build.os !== "windows") await Deno.chmod(this.#path, 0o600);
    this.#size = (await file.stat()).size;
    this.#file = file;
    return file;
  }

  async #rotate(): Promise<void> {
    this.#file?.close();
    this.#file = undefined;
    for (let index = this.#maxFiles - 1; index >= 1; index--) {
      await renameIfExists(
        `${this.#path}.${index}`,
        `${this.#path}.${index + 1}`,
      );
    }
    await renameIfExists(this.#path, `${this.#path}.1`);
    await this.#open();
  }
}

async function writeAll(
  file: Deno.FsFile,
  chunks: Uint8Array[],
): Promise<void> {
  for (const chunk of chunks) {
    let offset = 0;
    while (offset < chunk.byteLength) {
      offset += await file.write(chunk.subarray(offset));
    }
  }
}

async function renameIfExists(from: string, to: string): Promise<void> {
  try {
    await Deno.rename(from, to);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

function droppedLine(count: number): string {
  return JSON.stringify({
    timestamp: new Date().toISOString(),
    level: "warn",
    target: "logs",
    message: `Log writer fell behind: dropped ${count} lines`,
  });
}

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(
      `Cannot create log file writer: "${name}" is ${value}, expected a positive integer`,
    );
  }
  return value;
}
