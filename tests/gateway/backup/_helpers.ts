/**
 * Fixtures for backup tests: a seeded state dir, a byte-level digest of a
 * directory tree, and builders for (hostile) archives.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import tar from "tar-stream";

/** Creates state.db (WAL, with rows), carapace.json5 and a memory dir in `stateDir`. */
export function seedState(stateDir: string, tag = "original"): void {
  const db = new DatabaseSync(join(stateDir, "state.db"));
  db.exec("PRAGMA journal_mode=WAL");
  db.exec(`
    CREATE TABLE sessions (id TEXT PRIMARY KEY, title TEXT);
    CREATE TABLE messages (id INTEGER PRIMARY KEY, session_id TEXT NOT NULL REFERENCES sessions(id), body TEXT);
    CREATE TABLE usage_records (id INTEGER PRIMARY KEY, tokens INTEGER);
    CREATE TABLE audit_events (id INTEGER PRIMARY KEY, event TEXT);
    CREATE TABLE devices (id TEXT PRIMARY KEY, name TEXT);
  `);
  db.prepare("INSERT INTO sessions VALUES (?, ?)").run("s1", tag);
  db.prepare("INSERT INTO sessions VALUES (?, ?)").run("s2", tag);
  for (let i = 0; i < 3; i++) {
    db.prepare("INSERT INTO messages (session_id, body) VALUES (?, ?)").run(
      "s1",
      `${tag} ${i}`,
    );
  }
  db.exec("INSERT INTO usage_records (tokens) VALUES (10), (20)");
  db.exec("INSERT INTO audit_events (event) VALUES ('backup_created')");
  db.prepare("INSERT INTO devices VALUES (?, ?)").run("d1", "laptop");
  db.close();
  Deno.writeTextFileSync(
    join(stateDir, "carapace.json5"),
    `{ gateway: { port: 18789 }, // ${tag}\n}\n`,
  );
  Deno.mkdirSync(join(stateDir, "memory", "notes"), { recursive: true });
  Deno.writeTextFileSync(join(stateDir, "memory", "top.md"), `# ${tag}\n`);
  Deno.writeTextFileSync(
    join(stateDir, "memory", "notes", "a.md"),
    `note ${tag}\n`,
  );
}

/** The title of session "s1" in the state dir's database. */
export function sessionTitle(stateDir: string): string {
  const db = new DatabaseSync(join(stateDir, "state.db"), { readOnly: true });
  try {
    return String(
      db.prepare("SELECT title FROM sessions WHERE id = 's1'").get()?.title,
    );
  } finally {
    db.close();
  }
}

/** Every path below `dir` mapped to its kind and bytes (files) or link target. */
export async function treeDigest(dir: string): Promise<Map<string, string>> {
  const digest = new Map<string, string>();
  async function walk(relative: string): Promise<void> {
    for await (const entry of Deno.readDir(join(dir, relative))) {
      const path = relative === "" ? entry.name : `${relative}/${entry.name}`;
      const full = join(dir, path);
      if (entry.isSymlink) {
        digest.set(path, `symlink:${await Deno.readLink(full)}`);
      } else if (entry.isDirectory) {
        digest.set(path, "dir");
        await walk(path);
      } else {
        const bytes = await Deno.readFile(full);
        const hash = new Uint8Array(
          await crypto.subtle.digest("SHA-256", bytes),
        );
        digest.set(
          path,
          `file:${
            Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join("")
          }`,
        );
      }
    }
  }
  await walk("");
  return digest;
}

/** An entry for {@linkcode buildArchive}. */
export interface FixtureEntry {
  name: string;
  type?: tar.Header["type"];
  content?: string | Uint8Array;
  linkname?: string;
  /** PAX records; `path` overrides the name when read back. */
  pax?: Record<string, string>;
}

/** The marker entry of a valid v1 backup. */
export const MARKER: FixtureEntry = {
  name: ".carapace-backup",
  content: "carapace-backup v1\ncreated=20250101T000000Z\n",
};

/** A tar (not yet gzip'd) built with tar-stream. */
export async function buildTar(
  entries: readonly FixtureEntry[],
): Promise<Uint8Array<ArrayBuffer>> {
  const pack = tar.pack();
  const collected = (async () => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of pack as AsyncIterable<Uint8Array>) {
      chunks.push(chunk);
    }
    return concat(chunks);
  })();
  for (const entry of entries) {
    const content = typeof entry.content === "string"
      ? new TextEncoder().encode(entry.content)
      : entry.content ?? new Uint8Array();
    const header: Partial<tar.Header> & { name: string } = {
      name: entry.name,
      type: entry.type ?? "file",
      mode: 0o644,
    };
    if (entry.linkname !== undefined) header.linkname = entry.linkname;
    if (entry.pax !== undefined) header.pax = entry.pax;
    await new Promise<void>((resolve, reject) => {
      pack.entry(header, content, (error) => error ? reject(error) : resolve());
    });
  }
  pack.finalize();
  return await collected;
}

/** Gzips bytes with the web CompressionStream. */
export async function gzip(
  bytes: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes]).stream().pipeThrough(
    new CompressionStream("gzip"),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Writes a tar.gz of `entries` to `path`. */
export async function writeArchive(
  path: string,
  entries: readonly FixtureEntry[],
): Promise<string> {
  await Deno.writeFile(path, await gzip(await buildTar(entries)));
  return path;
}

/**
 * A raw 512-byte ustar header, for names and sizes tar-stream will not write:
 * `typeflag` "0" file, "5" dir.
 */
export function rawHeader(
  name: Uint8Array | string,
  options: { size: number; typeflag?: string },
): Uint8Array<ArrayBuffer> {
  const block = new Uint8Array(512);
  const bytes = typeof name === "string"
    ? new TextEncoder().encode(name)
    : name;
  block.set(bytes.subarray(0, 100), 0);
  const field = (offset: number, width: number, value: string) =>
    block.set(
      new TextEncoder().encode(value.padStart(width - 1, "0") + "\0"),
      offset,
    );
  field(100, 8, "644");
  field(108, 8, "0");
  field(116, 8, "0");
  field(124, 12, options.size.toString(8));
  field(136, 12, "0");
  block.set(new TextEncoder().encode(options.typeflag ?? "0"), 156);
  block.set(new TextEncoder().encode("ustar\u000000"), 257);
  block.fill(0x20, 148, 156);
  const sum = block.reduce((total, byte) => total + byte, 0);
  block.set(
    new TextEncoder().encode(sum.toString(8).padStart(6, "0") + "\0 "),
    148,
  );
  return block;
}

/** Concatenates byte arrays. */
export function concat(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
