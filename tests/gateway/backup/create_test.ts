import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import tar from "tar-stream";
import { createBackup } from "../../../gateway/backup/create.ts";
import { acquireDaemonLock } from "../../../gateway/daemon/lock.ts";
import { CaraError } from "../../../gateway/errors.ts";
import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  isolatedEnv,
  tempDir,
} from "../../_helpers.ts";
import { seedState } from "./_helpers.ts";

interface ReadEntry {
  name: string;
  type: string;
  mode: number;
  bytes: Uint8Array;
}

async function readArchive(path: string): Promise<ReadEntry[]> {
  const extract = tar.extract();
  const raw = (await Deno.open(path)).readable.pipeThrough(
    new DecompressionStream("gzip"),
  );
  const feeding = (async () => {
    for await (const chunk of raw) extract.write(chunk);
    extract.end(null);
  })();
  const entries: ReadEntry[] = [];
  for await (const entry of extract) {
    const chunks: number[] = [];
    for await (const chunk of entry as AsyncIterable<Uint8Array>) {
      chunks.push(...chunk);
    }
    entries.push({
      name: entry.header.name,
      type: entry.header.type,
      mode: entry.header.mode,
      bytes: new Uint8Array(chunks),
    });
  }
  await feeding;
  return entries;
}

const NOW = new Date("2025-06-07T08:09:10.123Z");

Deno.test("createBackup() writes the marker first, then the state snapshot, config and memory", async () => {
  using state = tempDir();
  using out = tempDir();
  seedState(state.path);
  const result = await createBackup(isolatedEnv(state.path), {
    cwd: out.path,
    now: NOW,
  });
  assertEquals(
    result.path,
    join(out.path, "carapace-backup-20250607T080910Z.tar.gz"),
  );
  assertEquals(result.sections, ["state", "config", "memory"]);
  assertEquals(result.size, (await Deno.stat(result.path)).size);
  assertEquals((await Deno.stat(result.path)).mode! & 0o777, 0o600);
  const entries = await readArchive(result.path);
  assertEquals(entries[0]?.name, ".carapace-backup");
  assertEquals(entries[0]?.mode, 0o644);
  assertEquals(
    new TextDecoder().decode(entries[0]?.bytes),
    "carapace-backup v1\ncreated=20250607T080910Z\n",
  );
  assertEquals(
    entries.map((e) => `${e.type}:${e.name}`).slice(1).sort(),
    [
      "directory:config/",
      "directory:memory/",
      "directory:memory/notes/",
      "directory:state/",
      "file:config/carapace.json5",
      "file:memory/notes/a.md",
      "file:memory/top.md",
      "file:state/state.db",
    ],
  );
  const db = entries.find((e) => e.name === "state/state.db");
  const copy = join(out.path, "copy.db");
  await Deno.writeFile(copy, db!.bytes);
  const sqlite = new DatabaseSync(copy, { readOnly: true });
  assertEquals(
    Number(sqlite.prepare("SELECT count(*) AS n FROM messages").get()?.n),
    3,
  );
  sqlite.close();
  const leftovers = [...Deno.readDirSync(out.path)].map((e) => e.name).filter((
    n,
  ) => n.endsWith(".tmp"));
  assertEquals(leftovers, []);
  assertEquals(
    [...Deno.readDirSync(state.path)].filter((e) =>
      e.name.startsWith(".backup-")
    ),
    [],
  );
});

Deno.test("createBackup() writes an empty backup when there is no state", async () => {
  using state = tempDir();
  const result = await createBackup(isolatedEnv(state.path), {
    cwd: state.path,
    output: "b.tar.gz",
  });
  assertEquals(result.sections, []);
  const entries = await readArchive(result.path);
  assertEquals(entries.map((e) => e.name), [".carapace-backup"]);
});

Deno.test("createBackup() refuses an existing output unless forced, and replaces it when forced", async () => {
  using state = tempDir();
  seedState(state.path);
  const output = join(state.path, "b.tar.gz");
  await Deno.writeTextFile(output, "old");
  await assertRejects(
    createBackup(isolatedEnv(state.path), { cwd: state.path, output }),
    (error: unknown) =>
      error instanceof CaraError && error.code === "backup_output_exists",
  );
  assertEquals(await Deno.readTextFile(output), "old");
  await createBackup(isolatedEnv(state.path), {
    cwd: state.path,
    output,
    force: true,
  });
  assert((await readArchive(output)).length > 1);
});

Deno.test("createBackup() never writes through a symlink at the output path, even with force", async () => {
  using state = tempDir();
  seedState(state.path);
  const victim = join(state.path, "victim.txt");
  await Deno.writeTextFile(victim, "keep");
  const output = join(state.path, "b.tar.gz");
  await Deno.symlink(victim, output);
  await assertRejects(
    createBackup(isolatedEnv(state.path), {
      cwd: state.path,
      output,
      force: true,
    }),
    (error: unknown) =>
      error instanceof CaraError && error.code === "backup_output_unsafe",
  );
  assertEquals(await Deno.readTextFile(victim), "keep");
  assert((await Deno.lstat(output)).isSymlink);
});

Deno.test("createBackup() refuses while a daemon holds the lock", async () => {
  using state = tempDir();
  seedState(state.path);
  await using _lock = await acquireDaemonLock(state.path);
  await assertRejects(
    createBackup(isolatedEnv(state.path), { cwd: state.path }),
    (error: unknown) =>
      error instanceof CaraError && error.code === "daemon_running",
  );
  assertEquals(
    [...Deno.readDirSync(state.path)].filter((e) => e.name.endsWith(".tar.gz")),
    [],
  );
});

Deno.test("createBackup() leaves symlinks in the memory dir out and reports them", async () => {
  using state = tempDir();
  seedState(state.path);
  await Deno.writeTextFile(join(state.path, "secret.txt"), "do not export");
  await Deno.symlink(
    join(state.path, "secret.txt"),
    join(state.path, "memory", "link.md"),
  );
  const result = await createBackup(isolatedEnv(state.path), {
    cwd: state.path,
    output: "b.tar.gz",
  });
  assertEquals(result.skipped, [join(state.path, "memory", "link.md")]);
  const names = (await readArchive(result.path)).map((e) => e.name);
  assert(!names.includes("memory/link.md"));
  assertMatch(names.join(","), /memory\/top\.md/);
});
