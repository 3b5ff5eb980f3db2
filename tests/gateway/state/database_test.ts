import { join } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { CaraError } from "../../../gateway/errors.ts";
import {
  BUSY_TIMEOUT_MS,
  MIGRATIONS,
  openDatabase,
} from "../../../gateway/state/mod.ts";
import {
  assert,
  assertEquals,
  assertMatch,
  assertThrows,
  tempDir,
} from "../../_helpers.ts";
import { modeOf, testDatabase, thrown } from "./_helpers.ts";

const posix = Deno.build.os !== "windows";

function pragma(db: DatabaseSync, name: string): unknown {
  const row = db.prepare(`PRAGMA ${name}`).get();
  return row === undefined ? undefined : Object.values(row)[0];
}

Deno.test("openDatabase() sets WAL, synchronous=FULL, busy_timeout and foreign keys", () => {
  using t = testDatabase();
  const db = t.state.db;
  assertEquals(pragma(db, "journal_mode"), "wal");
  assertEquals(pragma(db, "synchronous"), 2);
  assertEquals(pragma(db, "busy_timeout"), BUSY_TIMEOUT_MS);
  assertEquals(pragma(db, "foreign_keys"), 1);
});

Deno.test({
  name:
    "openDatabase() creates the database, -wal and -shm files with mode 0600",
  ignore: !posix,
  fn() {
    using t = testDatabase();
    t.state.audit.append({ event: "gateway_connected" });
    for (const suffix of ["", "-wal", "-shm"]) {
      assertEquals(modeOf(t.path + suffix).toString(8), "600", suffix);
    }
  },
});

Deno.test({
  name: "openDatabase() tightens an existing world-readable database to 0600",
  ignore: !posix,
  fn() {
    using dir = tempDir();
    const path = join(dir.path, "state.db");
    openDatabase(path).close();
    Deno.chmodSync(path, 0o644);
    using state = openDatabase(path);
    assertEquals(modeOf(path).toString(8), "600");
    assertEquals(state.schemaVersion(), MIGRATIONS.length);
  },
});

Deno.test("openDatabase() refuses a file that is not SQLite, naming the file", () => {
  using dir = tempDir();
  const path = join(dir.path, "state.db");
  Deno.writeTextFileSync(
    path,
    "this is a text file, not a database\n".repeat(40),
  );
  const error = thrown(() => openDatabase(path), CaraError);
  assertEquals(error.code, "state_db_unreadable");
  assert(error.message.includes(`"${path}"`));
  assertMatch(error.message, /not a SQLite database/);
  assertEquals(
    Deno.readTextFileSync(path).startsWith("this is a text file"),
    true,
  );
});

Deno.test("openDatabase() refuses a path in a missing directory", () => {
  using dir = tempDir();
  const path = join(dir.path, "missing", "state.db");
  const error = thrown(() => openDatabase(path), CaraError);
  assertEquals(error.code, "state_db_open_failed");
  assertMatch(error.message, /does not exist/);
});

Deno.test("openDatabase() refuses a path that is a directory", () => {
  using dir = tempDir();
  const error = thrown(() => openDatabase(dir.path), CaraError);
  assertMatch(error.message, /not a regular file/);
});

Deno.test("StateDatabase.close() is idempotent and dispose closes the connection", () => {
  using dir = tempDir();
  const path = join(dir.path, "state.db");
  let kept;
  {
    using state = openDatabase(path);
    kept = state;
    assert(state.db.isOpen);
  }
  assertEquals(kept.db.isOpen, false);
  kept.close();
});

Deno.test("StateDatabase.transaction() commits on return and rolls back on throw", () => {
  using t = testDatabase();
  const { state } = t;
  state.transaction(() => state.audit.append({ event: "kept" }));
  assertThrows(
    () =>
      state.transaction(() => {
        state.audit.append({ event: "dropped" });
        throw new Error("boom");
      }),
    /boom/,
  );
  assertEquals(state.audit.list().map((e) => e.event), ["kept"]);
});

Deno.test("StateDatabase.transaction() nests as a savepoint that rolls back alone", () => {
  using t = testDatabase();
  const { state } = t;
  state.transaction(() => {
    state.audit.append({ event: "outer" });
    assertThrows(() =>
      state.transaction(() => {
        state.audit.append({ event: "inner" });
        throw new Error("inner failed");
      })
    );
  });
  assertEquals(state.audit.list().map((e) => e.event), ["outer"]);
  assertEquals(state.db.isTransaction, false);
});

Deno.test("StateDatabase.transaction() refuses an async function and rolls back", () => {
  using t = testDatabase();
  const { state } = t;
  assertThrows(
    () =>
      state.transaction(() => {
        state.audit.append({ event: "async_work" });
        return Promise.resolve(1);
      }),
    TypeError,
  );
  assertEquals(state.audit.list(), []);
  assertEquals(state.db.isTransaction, false);
});

Deno.test("openDatabase() stamps rows with the injected clock", () => {
  using t = testDatabase();
  t.time.advance(42);
  t.state.audit.append({ event: "tick" });
  assertEquals(t.state.audit.list()[0]?.ts, 1_700_000_000_042);
});

Deno.test("StateDatabase.relaxed() nests, and a throw inside it leaves later writes durable", () => {
  const dir = Deno.makeTempDirSync();
  try {
    using state = openDatabase(`${dir}/state.db`);
    const level = () =>
      Number(state.db.prepare("PRAGMA synchronous").get()?.synchronous);
    state.relaxed(() => {
      state.relaxed(() => state.audit.append({ event: "relaxed_write" }));
      assertEquals(level(), 1); // NORMAL: committed without the fsync
      state.audit.append({ event: "relaxed_write", data: {} });
    });
    try {
      state.relaxed(() => {
        throw new Error("boom");
      });
    } catch { /* expected */ }
    state.audit.append({ event: "durable_write" });
    assertEquals(level(), 2); // FULL
    assertEquals(state.audit.list({ event: "relaxed_write" }).length, 2);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("every commit gets its own durability: relaxed ones skip the fsync, any other write (a lone statement too) has it, even right after relaxed ones", async () => {
  using t = testDatabase();
  const { state } = t;
  const db = state.db;
  const session = state.sessions.create({ sessionKey: "durability" });
  assertEquals(pragma(db, "synchronous"), 2);
  const { synced } = state.durably(() =>
    state.sessions.messages.append({
      sessionId: session.id,
      role: "user",
      content: "hi",
    })
  );
  await synced;
  // Relaxed commits leave the connection at NORMAL for the next relaxed one…
  assertEquals(pragma(db, "synchronous"), 1);
  const call = {
    provider: "p",
    model: "m",
    inputTokens: 1,
    outputTokens: 1,
    costUsd: 0,
  };
  state.relaxed(() => state.usage.record(call));
  assertEquals(pragma(db, "synchronous"), 1);
  // …and any other write, a single statement outside a transaction included,
  // commits at FULL again.
  state.audit.append({ event: "durability_probe", data: {} });
  assertEquals(pragma(db, "synchronous"), 2);
  state.relaxed(() => state.devices.list());
  state.usage.record(call);
  assertEquals(pragma(db, "synchronous"), 2);
  state.relaxed(() =>
    state.transaction(() =>
      state.audit.append({ event: "durability_probe", data: {} })
    )
  );
  assertEquals(pragma(db, "synchronous"), 1);
  state.sessions.delete(session.id);
  assertEquals(pragma(db, "synchronous"), 2);
  assertEquals(state.audit.list({ event: "durability_probe" }).length, 2);
});
