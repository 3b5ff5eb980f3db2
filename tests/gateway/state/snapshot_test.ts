import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { snapshotDatabase } from "../../../gateway/state/snapshot.ts";
import { CaraError } from "../../../gateway/errors.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  tempDir,
} from "../../_helpers.ts";

function liveDatabase(path: string): DatabaseSync {
  const db = new DatabaseSync(path);
  db.exec("PRAGMA journal_mode=WAL");
  db.exec("CREATE TABLE sessions (id TEXT PRIMARY KEY, n INTEGER)");
  const insert = db.prepare("INSERT INTO sessions VALUES (?, ?)");
  for (let i = 0; i < 100; i++) insert.run(`s${i}`, i);
  return db;
}

function rowsOf(path: string): number {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const check = db.prepare("PRAGMA integrity_check").get();
    assertEquals(check?.integrity_check, "ok");
    const row = db.prepare("SELECT count(*) AS n FROM sessions").get();
    return Number(row?.n);
  } finally {
    db.close();
  }
}

Deno.test("snapshotDatabase() copies committed rows into a 0600 file", async () => {
  using dir = tempDir();
  const db = liveDatabase(join(dir.path, "state.db"));
  try {
    const dest = join(dir.path, "copy.db");
    await snapshotDatabase(join(dir.path, "state.db"), dest);
    assertEquals(rowsOf(dest), 100);
    if (Deno.build.os !== "windows") {
      assertEquals((await Deno.stat(dest)).mode! & 0o777, 0o600);
    }
  } finally {
    db.close();
  }
});

Deno.test("snapshotDatabase() sees only committed data while another connection is mid-write", async () => {
  using dir = tempDir();
  const dbPath = join(dir.path, "state.db");
  const writer = liveDatabase(dbPath);
  try {
    writer.exec("BEGIN IMMEDIATE");
    const insert = writer.prepare("INSERT INTO sessions VALUES (?, ?)");
    for (let i = 100; i < 150; i++) insert.run(`s${i}`, i);
    writer.exec("UPDATE sessions SET n = -1");
    const dest = join(dir.path, "copy.db");
    await snapshotDatabase(dbPath, dest);
    writer.exec("COMMIT");
    assertEquals(rowsOf(dest), 100);
    const copy = new DatabaseSync(dest, { readOnly: true });
    const negative = copy.prepare(
      "SELECT count(*) AS n FROM sessions WHERE n < 0",
    ).get();
    copy.close();
    assertEquals(Number(negative?.n), 0);
    assertEquals(rowsOf(dbPath), 150);
  } finally {
    writer.close();
  }
});

Deno.test("snapshotDatabase() includes rows that only live in the WAL file", async () => {
  using dir = tempDir();
  const dbPath = join(dir.path, "state.db");
  const db = liveDatabase(dbPath);
  try {
    db.exec("PRAGMA wal_autocheckpoint=0");
    db.exec("INSERT INTO sessions VALUES ('late', 1)");
    assert((await Deno.stat(`${dbPath}-wal`)).size > 0);
    const dest = join(dir.path, "copy.db");
    await snapshotDatabase(dbPath, dest);
    assertEquals(rowsOf(dest), 101);
  } finally {
    db.close();
  }
});

Deno.test("snapshotDatabase() refuses an existing destination and a symlink there", async () => {
  using dir = tempDir();
  const db = liveDatabase(join(dir.path, "state.db"));
  db.close();
  const existing = join(dir.path, "existing.db");
  await Deno.writeTextFile(existing, "keep me");
  const link = join(dir.path, "link.db");
  await Deno.symlink(join(dir.path, "target-of-link"), link);
  for (const dest of [existing, link]) {
    await assertRejects(
      snapshotDatabase(join(dir.path, "state.db"), dest),
      (error: unknown) =>
        error instanceof CaraError && error.code === "snapshot_dest_exists",
    );
  }
  assertEquals(await Deno.readTextFile(existing), "keep me");
  await assertRejects(
    Deno.lstat(join(dir.path, "target-of-link")),
    Deno.errors.NotFound,
  );
});

Deno.test("snapshotDatabase() refuses a missing source without creating it", async () => {
  using dir = tempDir();
  const missing = join(dir.path, "missing.db");
  await assertRejects(
    snapshotDatabase(missing, join(dir.path, "copy.db")),
    (error: unknown) =>
      error instanceof CaraError && error.code === "snapshot_source_missing",
  );
  await assertRejects(Deno.lstat(missing), Deno.errors.NotFound);
  await assertRejects(
    Deno.lstat(join(dir.path, "copy.db")),
    Deno.errors.NotFound,
  );
});
