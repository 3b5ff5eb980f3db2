import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { createBackup } from "../../../gateway/backup/create.ts";
import { restoreBackup } from "../../../gateway/backup/restore.ts";
import { acquireDaemonLock } from "../../../gateway/daemon/lock.ts";
import { CaraError } from "../../../gateway/errors.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  isolatedEnv,
  tempDir,
} from "../../_helpers.ts";
import {
  buildTar,
  concat,
  gzip,
  MARKER,
  rawHeader,
  seedState,
  sessionTitle,
  treeDigest,
  writeArchive,
} from "./_helpers.ts";

function rejectsWith(code: string): (error: unknown) => boolean {
  return (error: unknown) => {
    assert(
      error instanceof CaraError,
      `expected CaraError ${code}, got ${error}`,
    );
    assertEquals(error.code, code, error.message);
    return true;
  };
}

async function validDbBytes(dir: string): Promise<Uint8Array> {
  const path = join(dir, "fixture.db");
  const db = new DatabaseSync(path);
  db.exec(
    "CREATE TABLE sessions (id TEXT PRIMARY KEY, title TEXT); INSERT INTO sessions VALUES ('s1', 'fixture')",
  );
  db.close();
  const bytes = await Deno.readFile(path);
  await Deno.remove(path);
  return bytes;
}

Deno.test("restoreBackup() brings back the state, config and memory of a backup", async () => {
  using state = tempDir();
  using out = tempDir();
  seedState(state.path, "original");
  const env = isolatedEnv(state.path);
  const before = await treeDigest(join(state.path, "memory"));
  const { path } = await createBackup(env, { cwd: out.path });
  const db = new DatabaseSync(join(state.path, "state.db"));
  db.exec("UPDATE sessions SET title = 'changed'");
  db.close();
  await Deno.writeTextFile(join(state.path, "carapace.json5"), "{}");
  await Deno.writeTextFile(join(state.path, "memory", "new.md"), "new");
  await Deno.writeTextFile(
    join(state.path, "state.db-wal"),
    "stale wal that must not be replayed",
  );
  const result = await restoreBackup(env, path);
  assertEquals(result.sections.map((s) => s.section), [
    "state",
    "config",
    "memory",
  ]);
  assertEquals(result.leftovers, []);
  assertEquals(sessionTitle(state.path), "original");
  assertEquals(
    await Deno.readTextFile(join(state.path, "carapace.json5")),
    "{ gateway: { port: 18789 }, // original\n}\n",
  );
  assertEquals(await treeDigest(join(state.path, "memory")), before);
  await assertRejects(
    Deno.lstat(join(state.path, "state.db-wal")),
    Deno.errors.NotFound,
  );
  assertEquals(
    (await Deno.stat(join(state.path, "state.db"))).mode! & 0o777,
    0o600,
  );
  const names = [...Deno.readDirSync(state.path)].map((e) => e.name);
  assertEquals(names.filter((n) => n.startsWith(".restore-")), []);
});

Deno.test("restoreBackup() restores into an empty state dir and leaves sections the archive lacks alone", async () => {
  using state = tempDir();
  using fresh = tempDir();
  await Deno.writeTextFile(join(fresh.path, "carapace.json"), "{ keep: true }");
  const archive = await writeArchive(join(state.path, "b.tar.gz"), [
    MARKER,
    { name: "state/", type: "directory" },
    { name: "state/state.db", content: await validDbBytes(state.path) },
  ]);
  const result = await restoreBackup(isolatedEnv(fresh.path), archive);
  assertEquals(result.sections.map((s) => s.section), ["state"]);
  assertEquals(sessionTitle(fresh.path), "fixture");
  assertEquals(
    await Deno.readTextFile(join(fresh.path, "carapace.json")),
    "{ keep: true }",
  );
});

Deno.test("restoreBackup() writes the config to the resolved CARAPACE_CONFIG_PATH", async () => {
  using state = tempDir();
  using elsewhere = tempDir();
  const configPath = join(elsewhere.path, "my.json5");
  await Deno.writeTextFile(configPath, "{ old: true }");
  const archive = await writeArchive(join(state.path, "b.tar.gz"), [
    MARKER,
    { name: "config/", type: "directory" },
    { name: "config/carapace.json5", content: "{ restored: true }" },
  ]);
  await restoreBackup(
    isolatedEnv(state.path, { CARAPACE_CONFIG_PATH: configPath }),
    archive,
  );
  assertEquals(await Deno.readTextFile(configPath), "{ restored: true }");
  assertEquals([...Deno.readDirSync(elsewhere.path)].map((e) => e.name), [
    "my.json5",
  ]);
});

/** Hostile or broken archives: each must be refused with the state dir unchanged. */
const HOSTILE: {
  name: string;
  code: string;
  build: (dir: string) => Promise<Uint8Array<ArrayBuffer>>;
}[] = [
  {
    name: "path traversal",
    code: "backup_invalid_path",
    build: async () =>
      gzip(
        await buildTar([MARKER, {
          name: "memory/../../escaped.txt",
          content: "x",
        }]),
      ),
  },
  {
    name: "absolute path",
    code: "backup_invalid_path",
    build: async () =>
      gzip(
        await buildTar([MARKER, {
          name: "/tmp/cara-absolute-escape.txt",
          content: "x",
        }]),
      ),
  },
  {
    name: "backslash traversal",
    code: "backup_invalid_path",
    build: async () =>
      gzip(
        await buildTar([MARKER, {
          name: "memory\\..\\..\\escaped.txt",
          content: "x",
        }]),
      ),
  },
  {
    name: "drive letter",
    code: "backup_invalid_path",
    build: async () =>
      gzip(await buildTar([MARKER, { name: "C:/escaped.txt", content: "x" }])),
  },
  {
    name: "NUL in a PAX path",
    code: "backup_invalid_path",
    build: async () =>
      gzip(
        await buildTar([MARKER, {
          name: "memory/x",
          pax: { path: "memory/a\u0000b" },
          content: "x",
        }]),
      ),
  },
  {
    name: "control character in a raw header name",
    code: "backup_invalid_path",
    build: async () => {
      const marker = await buildTar([MARKER]);
      const name = concat([
        new TextEncoder().encode("memory/a"),
        new Uint8Array([0x01]),
        new TextEncoder().encode("b"),
      ]);
      return gzip(
        concat([
          marker.subarray(0, marker.length - 1024),
          rawHeader(name, { size: 0 }),
          new Uint8Array(1024),
        ]),
      );
    },
  },
  {
    name: "symlink escape",
    code: "backup_unsupported_entry",
    build: async (dir) =>
      gzip(
        await buildTar([
          MARKER,
          { name: "memory/", type: "directory" },
          { name: "memory/out", type: "symlink", linkname: dir },
          { name: "memory/out/escaped.txt", content: "x" },
        ]),
      ),
  },
  {
    name: "hardlink",
    code: "backup_unsupported_entry",
    build: async () =>
      gzip(
        await buildTar([MARKER, {
          name: "memory/passwd",
          type: "link",
          linkname: "/etc/passwd",
        }]),
      ),
  },
  {
    name: "fifo",
    code: "backup_unsupported_entry",
    build: async () =>
      gzip(await buildTar([MARKER, { name: "memory/pipe", type: "fifo" }])),
  },
  {
    name: "character device",
    code: "backup_unsupported_entry",
    build: async () =>
      gzip(
        await buildTar([MARKER, {
          name: "memory/zero",
          type: "character-device",
        }]),
      ),
  },
  {
    name: "missing marker",
    code: "backup_not_carapace",
    build: async () =>
      gzip(await buildTar([{ name: "memory/a.md", content: "x" }])),
  },
  {
    name: "marker not first",
    code: "backup_not_carapace",
    build: async () =>
      gzip(await buildTar([{ name: "memory/a.md", content: "x" }, MARKER])),
  },
  {
    name: "bad marker",
    code: "backup_not_carapace",
    build: async () =>
      gzip(
        await buildTar([{
          name: ".carapace-backup",
          content: "carapace-backup v9\n",
        }]),
      ),
  },
  {
    name: "duplicate entry",
    code: "backup_invalid_path",
    build: async () =>
      gzip(
        await buildTar([MARKER, { name: "memory/a.md", content: "1" }, {
          name: "memory/a.md",
          content: "2",
        }]),
      ),
  },
  {
    name: "unexpected file in the state section",
    code: "backup_unexpected_entry",
    build: async () =>
      gzip(await buildTar([MARKER, { name: "state/other.db", content: "x" }])),
  },
  {
    name: "truncated gzip",
    code: "backup_corrupt",
    build: async (dir) => {
      const bytes = await gzip(
        await buildTar([MARKER, {
          name: "state/state.db",
          content: await validDbBytes(dir),
        }]),
      );
      return bytes.slice(0, bytes.length - 40);
    },
  },
  {
    name: "not gzip at all",
    code: "backup_corrupt",
    build: () =>
      Promise.resolve(
        new TextEncoder().encode("just some text, not an archive"),
      ),
  },
  {
    name: "truncated tar inside valid gzip",
    code: "backup_corrupt",
    build: async () => {
      const tar = await buildTar([MARKER, {
        name: "memory/a.md",
        content: "x".repeat(2000),
      }]);
      return gzip(tar.slice(0, 1200));
    },
  },
  {
    name: "oversize entry (header claims 5 GiB)",
    code: "backup_too_large",
    build: async () => {
      const marker = await buildTar([MARKER]);
      return gzip(
        concat([
          marker.subarray(0, marker.length - 1024),
          rawHeader("memory/huge.bin", { size: 5 * 1024 ** 3 }),
        ]),
      );
    },
  },
  {
    name: "corrupt database",
    code: "backup_db_corrupt",
    build: async (dir) => {
      const db = await validDbBytes(dir);
      db.fill(0x41, 100, db.length);
      return gzip(
        await buildTar([MARKER, { name: "state/state.db", content: db }]),
      );
    },
  },
  {
    name: "database that is not SQLite",
    code: "backup_db_corrupt",
    build: async () =>
      gzip(
        await buildTar([MARKER, {
          name: "state/state.db",
          content: "not a database",
        }]),
      ),
  },
];

for (const hostile of HOSTILE) {
  Deno.test(`restoreBackup() refuses an archive with ${hostile.name} and leaves the state byte-identical`, async () => {
    using state = tempDir();
    using work = tempDir();
    seedState(state.path);
    const archive = join(work.path, "hostile.tar.gz");
    await Deno.writeFile(archive, await hostile.build(work.path));
    const before = await treeDigest(state.path);
    const workBefore = await treeDigest(work.path);
    await assertRejects(
      restoreBackup(isolatedEnv(state.path), archive),
      rejectsWith(hostile.code),
    );
    assertEquals(await treeDigest(state.path), before);
    assertEquals(await treeDigest(work.path), workBefore);
    await assertRejects(
      Deno.lstat(join(state.path, "..", "escaped.txt")),
      Deno.errors.NotFound,
    );
    await assertRejects(
      Deno.lstat("/tmp/cara-absolute-escape.txt"),
      Deno.errors.NotFound,
    );
  });
}

Deno.test("restoreBackup() enforces entry-count and total-size limits", async () => {
  using state = tempDir();
  seedState(state.path);
  const archive = await writeArchive(
    join(state.path, "..", `${crypto.randomUUID()}.tar.gz`),
    [
      MARKER,
      { name: "memory/", type: "directory" },
      { name: "memory/a.md", content: "x".repeat(600) },
      { name: "memory/b.md", content: "y".repeat(600) },
    ],
  );
  try {
    const before = await treeDigest(state.path);
    const env = isolatedEnv(state.path);
    const base = {
      maxEntryBytes: 1000,
      maxTotalBytes: 10_000,
      maxEntries: 100,
    };
    for (
      const limits of [{ ...base, maxEntries: 3 }, {
        ...base,
        maxTotalBytes: 1000,
      }, { ...base, maxEntryBytes: 500 }]
    ) {
      await assertRejects(
        restoreBackup(env, archive, { limits }),
        rejectsWith("backup_too_large"),
      );
    }
    assertEquals(await treeDigest(state.path), before);
    await restoreBackup(env, archive, { limits: base });
    assertEquals(
      await Deno.readTextFile(join(state.path, "memory", "b.md")),
      "y".repeat(600),
    );
  } finally {
    await Deno.remove(archive);
  }
});

Deno.test("restoreBackup() refuses a symlinked section root", async () => {
  using state = tempDir();
  using other = tempDir();
  seedState(state.path);
  await Deno.remove(join(state.path, "memory"), { recursive: true });
  await Deno.symlink(other.path, join(state.path, "memory"));
  const archive = await writeArchive(join(other.path, "b.tar.gz"), [MARKER, {
    name: "memory/a.md",
    content: "x",
  }]);
  const before = await treeDigest(state.path);
  await assertRejects(
    restoreBackup(isolatedEnv(state.path), archive),
    rejectsWith("restore_target_unsafe"),
  );
  assertEquals(await treeDigest(state.path), before);
  assertEquals([...Deno.readDirSync(other.path)].map((e) => e.name), [
    "b.tar.gz",
  ]);
});

Deno.test("restoreBackup() refuses while a daemon holds the lock", async () => {
  using state = tempDir();
  using out = tempDir();
  seedState(state.path);
  const env = isolatedEnv(state.path);
  const { path } = await createBackup(env, { cwd: out.path });
  await using _lock = await acquireDaemonLock(state.path);
  const before = await treeDigest(state.path);
  await assertRejects(restoreBackup(env, path), rejectsWith("daemon_running"));
  assertEquals(await treeDigest(state.path), before);
});

Deno.test("restoreBackup() reports a missing archive", async () => {
  using state = tempDir();
  await assertRejects(
    restoreBackup(isolatedEnv(state.path), join(state.path, "nope.tar.gz")),
    rejectsWith("backup_not_found"),
  );
});
