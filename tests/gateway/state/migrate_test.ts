import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { CaraError } from "../../../gateway/errors.ts";
import {
  migrate,
  MIGRATIONS,
  openDatabase,
} from "../../../gateway/state/mod.ts";
import { assert, assertEquals, assertMatch, tempDir } from "../../_helpers.ts";
import { manualClock, T0, thrown } from "./_helpers.ts";

const TABLES = [
  "audit_events",
  "device_pairing_requests",
  "device_tokens",
  "devices",
  "messages",
  "node_pairing_requests",
  "nodes",
  "schema_migrations",
  "sessions",
  "usage_records",
];

function tableNames(db: DatabaseSync): string[] {
  return db.prepare(
    "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  ).all().map((row) => String(row.name));
}

function ledger(db: DatabaseSync): unknown[] {
  return db.prepare("SELECT * FROM schema_migrations ORDER BY version").all()
    .map((row) => ({ ...row }));
}

Deno.test("openDatabase() on a fresh file creates the fixed tables and records every migration", () => {
  using dir = tempDir();
  const time = manualClock();
  using state = openDatabase(join(dir.path, "state.db"), { clock: time.clock });
  assertEquals(tableNames(state.db), TABLES);
  assertEquals(state.schemaVersion(), MIGRATIONS.length);
  assertEquals(
    ledger(state.db),
    MIGRATIONS.map((m) => ({
      version: m.version,
      name: m.name,
      applied_at: T0,
    })),
  );
});

Deno.test("openDatabase() on an up-to-date file applies nothing again", () => {
  using dir = tempDir();
  const path = join(dir.path, "state.db");
  const time = manualClock();
  openDatabase(path, { clock: time.clock }).close();
  time.advance(60_000);
  using state = openDatabase(path, { clock: time.clock });
  assertEquals(
    ledger(state.db).every((row) =>
      (row as { applied_at: number }).applied_at === T0
    ),
    true,
  );
  assertEquals(migrate(state.db, { clock: time.clock, path }), []);
});

Deno.test("openDatabase() refuses a file written by a newer cara, naming both versions", () => {
  using dir = tempDir();
  const path = join(dir.path, "state.db");
  openDatabase(path).close();
  const raw = new DatabaseSync(path);
  raw.prepare(
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
  ).run(MIGRATIONS.length + 3, "from_the_future", T0);
  raw.close();
  const error = thrown(() => openDatabase(path), CaraError);
  assertEquals(error.code, "state_db_too_new");
  assert(error.message.includes(`"${path}"`));
  assertMatch(
    error.message,
    new RegExp(
      `schema version ${
        MIGRATIONS.length + 3
      }, this cara knows up to ${MIGRATIONS.length}; a newer cara wrote it`,
    ),
  );
});

Deno.test("migrate() applies new migrations after the recorded ones", () => {
  const db = new DatabaseSync(":memory:");
  const time = manualClock();
  const first = [{ version: 1, name: "one", sql: "CREATE TABLE one (x)" }];
  assertEquals(
    migrate(db, { clock: time.clock, path: ":memory:", migrations: first }),
    [1],
  );
  const more = [...first, {
    version: 2,
    name: "two",
    sql: "CREATE TABLE two (y)",
  }];
  assertEquals(
    migrate(db, { clock: time.clock, path: ":memory:", migrations: more }),
    [2],
  );
  assertEquals(tableNames(db), ["one", "schema_migrations", "two"]);
  db.close();
});

Deno.test("migrate() rolls back a failing migration completely and keeps earlier ones", () => {
  const db = new DatabaseSync(":memory:");
  const time = manualClock();
  const migrations = [
    { version: 1, name: "good", sql: "CREATE TABLE good (x)" },
    {
      version: 2,
      name: "bad",
      sql: "CREATE TABLE half (x); INSERT INTO nowhere VALUES (1);",
    },
  ];
  thrown(
    () => migrate(db, { clock: time.clock, path: ":memory:", migrations }),
    Error,
  );
  assertEquals(tableNames(db), ["good", "schema_migrations"]);
  assertEquals(ledger(db).length, 1);
  assertEquals(db.isTransaction, false);
  db.close();
});

Deno.test("migrate() refuses a migration list with a gap in its versions", () => {
  const db = new DatabaseSync(":memory:");
  const migrations = [
    { version: 1, name: "one", sql: "SELECT 1" },
    { version: 3, name: "three", sql: "SELECT 1" },
  ];
  const error = thrown(
    () => migrate(db, { clock: Date.now, path: ":memory:", migrations }),
    TypeError,
  );
  assertMatch(error.message, /migration "three": its version is 3, expected 2/);
  db.close();
});

Deno.test("MIGRATIONS are numbered 1, 2, 3, … with unique snake_case names", () => {
  MIGRATIONS.forEach((m, i) => assertEquals(m.version, i + 1));
  assertEquals(new Set(MIGRATIONS.map((m) => m.name)).size, MIGRATIONS.length);
  for (const m of MIGRATIONS) assertMatch(m.name, /^[a-z][a-z0-9_]*$/);
});
