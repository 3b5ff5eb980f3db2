/**
 * Reads a backup archive entry by entry and refuses it at the first thing
 * cara would not have written: a missing or foreign marker, an unsafe name,
 * a link or device entry, a duplicate, an entry outside the known layout,
 * or sizes beyond the limits. Truncated or corrupt gzip/tar data becomes one
 * `backup_corrupt` error.
 *
 * @module
 */
import tar from "tar-stream";
import { CaraError } from "../errors.ts";
import { checkEntryName } from "./entry_name.ts";
import { checkLayout } from "./layout.ts";
import {
  type ArchiveLimits,
  DEFAULT_LIMITS,
  MARKER_NAME,
  MAX_MARKER_BYTES,
  parseMarker,
  type Section,
  sectionOf,
} from "./format.ts";

/** One validated entry. */
export interface ArchiveEntry {
  name: string;
  /** Name components; a directory's trailing `/` is dropped. */
  parts: string[];
  type: "file" | "directory";
  size: number;
  /** Null for top-level names this version does not know (they are ignored). */
  section: Section | null;
}

/** Receives each entry after the marker; must consume `content` or leave it. */
export type EntryVisitor = (
  entry: ArchiveEntry,
  content: AsyncIterable<Uint8Array<ArrayBuffer>>,
) => Promise<void>;

/** Facts about a fully read archive. */
export interface ArchiveSummary {
  /** The marker's `created=` value. */
  created: string;
  entries: number;
  totalBytes: number;
}

/**
 * Streams the archive at `path` through validation, handing each entry to `visit`.
 *
 * @throws {CaraError} `backup_not_found`, `backup_not_carapace`,
 *   `backup_invalid_path`, `backup_unsupported_entry`, `backup_too_large`, `backup_corrupt`
 */
export async function readBackupArchive(
  path: string,
  visit: EntryVisitor,
  options: { limits?: ArchiveLimits } = {},
): Promise<ArchiveSummary> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const file = await openArchive(path);
  const extract = tar.extract();
  // Headers and padding cost at most a few blocks per entry beyond its data.
  const rawCap = limits.maxTotalBytes + (limits.maxEntries + 16) * 4096;
  const feeding = feed(file.readable, extract, { rawCap });
  feeding.catch(() => {}); // awaited below; this only marks it handled
  const state = new ValidationState(path, limits);
  try {
    for await (const source of extract) {
      // tar-stream yields Buffers, which own their memory.
      const content = source as AsyncIterable<Uint8Array<ArrayBuffer>>;
      const entry = state.accept(source.header);
      if (entry === null) {
        await readMarker(path, content, state);
        continue;
      }
      await visit(entry, content);
      for await (const _ of content) { /* drain what the visitor left */ }
    }
    await feeding;
  } catch (error) {
    extract.destroy();
    await feeding.catch(() => {});
    if (error instanceof CaraError) throw error;
    throw corrupt(path, error);
  }
  if (state.created === null) throw notCarapace(path, "the archive is empty");
  return {
    created: state.created,
    entries: state.count,
    totalBytes: state.total,
  };
}

class ValidationState {
  created: string | null = null;
  count = 0;
  total = 0;
  #seen = new Set<string>();
  #configSeen = false;
  #path: string;
  #limits: ArchiveLimits;

  constructor(path: string, limits: ArchiveLimits) {
    this.#path = path;
    this.#limits = limits;
  }

  /** Validates a header; null for the marker (which must come first). */
  accept(header: tar.Header): ArchiveEntry | null {
    const first = this.count === 0;
    this.count += 1;
    if (first) {
      if (header.name !== MARKER_NAME || header.type !== "file") {
        throw notCarapace(
          this.#path,
          `its first entry is not "${MARKER_NAME}"`,
        );
      }
      return null;
    }
    const parts = checkEntryName(header.name);
    const type = header.type === "file" || header.type === "contiguous-file"
      ? "file"
      : header.type === "directory"
      ? "directory"
      : null;
    if (type === null) {
      throw new CaraError(
        "backup_unsupported_entry",
        `Cannot restore the backup "${this.#path}": entry "${header.name}" is a ${header.type}; only regular files and directories are allowed`,
      );
    }
    const size = type === "file" ? header.size : 0;
    this.total += size;
    if (
      this.count > this.#limits.maxEntries ||
      size > this.#limits.maxEntryBytes ||
      this.total > this.#limits.maxTotalBytes
    ) {
      throw new CaraError(
        "backup_too_large",
        `Cannot restore the backup "${this.#path}": entry "${header.name}" exceeds the limits (${this.#limits.maxEntries} entries, ${this.#limits.maxEntryBytes} bytes per entry, ${this.#limits.maxTotalBytes} bytes in total)`,
      );
    }
    const key = parts.join("/");
    if (this.#seen.has(key) || key === MARKER_NAME) {
      throw new CaraError(
        "backup_invalid_path",
        `Cannot restore the backup "${this.#path}": entry "${header.name}" appears twice`,
      );
    }
    this.#seen.add(key);
    const entry: ArchiveEntry = {
      name: header.name,
      parts,
      type,
      size,
      section: sectionOf(key),
    };
    checkLayout(this.#path, entry);
    if (entry.section === "config" && type === "file") {
      if (this.#configSeen) {
        throw new CaraError(
          "backup_unexpected_entry",
          `Cannot restore the backup "${this.#path}": entry "${header.name}" is a second config file`,
        );
      }
      this.#configSeen = true;
    }
    return entry;
  }
}

async function readMarker(
  path: string,
  source: AsyncIterable<Uint8Array<ArrayBuffer>>,
  state: ValidationState,
): Promise<void> {
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let length = 0;
  for await (const chunk of source) {
    length += chunk.length;
    if (length > MAX_MARKER_BYTES) {
      throw notCarapace(path, "its marker is too large");
    }
    chunks.push(chunk);
  }
  const text = new TextDecoder().decode(await new Blob(chunks).bytes());
  const marker = parseMarker(text);
  if (marker === null) {
    throw notCarapace(path, "its marker is not a carapace-backup v1 marker");
  }
  state.created = marker.created;
}

async function openArchive(path: string): Promise<Deno.FsFile> {
  const info = await Deno.stat(path).catch(() => null);
  if (!info?.isFile) {
    throw new CaraError(
      "backup_not_found",
      `Cannot read the backup "${path}": ${
        info ? "it is not a regular file" : "no such file"
      }`,
    );
  }
  return await Deno.open(path, { read: true });
}

async function feed(
  raw: ReadableStream<Uint8Array<ArrayBuffer>>,
  extract: tar.Extract,
  options: { rawCap: number },
): Promise<void> {
  const reader = raw.pipeThrough(new DecompressionStream("gzip")).getReader();
  const closed = new Promise<void>((resolve) =>
    extract.once("close", () => resolve())
  );
  const stopped = closed.then(() => ({
    done: true as const,
    value: undefined,
  }));
  let fed = 0;
  try {
    while (true) {
      const { done, value } = await Promise.race([reader.read(), stopped]);
      if (done) break;
      fed += value.length;
      if (fed > options.rawCap) {
        throw new Error("decompressed data exceeds the size limits");
      }
      if (!extract.write(value)) {
        await Promise.race([
          new Promise<void>((resolve) =>
            extract.once("drain", () => resolve())
          ),
          closed,
        ]);
      }
    }
    extract.end(null);
  } catch (error) {
    extract.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  } finally {
    await reader.cancel().catch(() => {});
  }
}

function notCarapace(path: string, why: string): CaraError {
  return new CaraError(
    "backup_not_carapace",
    `Cannot restore "${path}": not a carapace backup (${why})`,
  );
}

function corrupt(path: string, cause: unknown): CaraError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new CaraError(
    "backup_corrupt",
    `Cannot read the backup "${path}": it is truncated or corrupt (${detail}); use an intact copy`,
    { cause },
  );
}
