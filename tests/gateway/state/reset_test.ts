import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { planReset, resetState } from "../../../gateway/state/reset.ts";
import { acquireDaemonLock } from "../../../gateway/daemon/lock.ts";
import { CaraError } from "../../../gateway/errors.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  isolatedEnv,
  tempDir,
} from "../../_helpers.ts";
import { seedState, treeDigest } from "../backup/_helpers.ts";

function counts(stateDir: string): Record<string, number> {
  const db = new DatabaseSync(join(stateDir, "state.db"), { readOnly: true });
  try {
    const tables = db.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
    ).all();
    return Object.fromEntries(tables.map(({ name }) => {
      const row = db.prepare(`SELECT count(*) AS n FROM "${String(name)}"`)
        .get();
      return [String(name), Number(row?.n)];
    }));
  } finally {
    db.close();
  }
}

Deno.test("planReset() counts what would go and changes nothing", async () => {
  using state = tempDir();
  seedState(state.path);
  const before = await treeDigest(state.path);
  const plan = await planReset(isolatedEnv(state.path), {
    categories: ["memory", "usage", "sessions", "cron"],
  });
  assertEquals(plan, [
    { category: "sessions", counts: { messages: 3, sessions: 2 } },
    { category: "cron", counts: {} },
    { category: "usage", counts: { usage_records: 2 } },
    { category: "memory", counts: { files: 2 } },
  ]);
  assertEquals(await treeDigest(state.path), before);
});

Deno.test("resetState() deletes sessions and messages only, keeping devices, audit, usage, config and memory", async () => {
  using state = tempDir();
  seedState(state.path);
  const config = await Deno.readTextFile(join(state.path, "carapace.json5"));
  const done = await resetState(isolatedEnv(state.path), {
    categories: ["sessions"],
  });
  assertEquals(done, [{
    category: "sessions",
    counts: { messages: 3, sessions: 2 },
  }]);
  assertEquals(counts(state.path), {
    audit_events: 1,
    devices: 1,
    messages: 0,
    sessions: 0,
    usage_records: 2,
  });
  assertEquals(
    await Deno.readTextFile(join(state.path, "carapace.json5")),
    config,
  );
  assert((await Deno.stat(join(state.path, "memory", "top.md"))).isFile);
});

Deno.test("resetState() empties cron tables when they exist and usage records", async () => {
  using state = tempDir();
  seedState(state.path);
  const db = new DatabaseSync(join(state.path, "state.db"));
  db.exec(
    "CREATE TABLE cron_jobs (id TEXT PRIMARY KEY); INSERT INTO cron_jobs VALUES ('j1'), ('j2')",
  );
  db.close();
  const done = await resetState(isolatedEnv(state.path), {
    categories: ["cron", "usage"],
  });
  assertEquals(done, [
    { category: "cron", counts: { cron_jobs: 2 } },
    { category: "usage", counts: { usage_records: 2 } },
  ]);
  assertEquals(counts(state.path).cron_jobs, 0);
  assertEquals(counts(state.path).usage_records, 0);
  assertEquals(counts(state.path).sessions, 2);
});

Deno.test("resetState() removes the memory dir and reports nothing to delete when state is absent", async () => {
  using state = tempDir();
  seedState(state.path);
  await resetState(isolatedEnv(state.path), { categories: ["memory"] });
  await assertRejects(
    Deno.lstat(join(state.path, "memory")),
    Deno.errors.NotFound,
  );
  using empty = tempDir();
  const done = await resetState(isolatedEnv(empty.path), {
    categories: ["sessions", "memory"],
  });
  assertEquals(done, [{ category: "sessions", counts: {} }, {
    category: "memory",
    counts: {},
  }]);
  assertEquals([...Deno.readDirSync(empty.path)], []);
});

Deno.test("resetState() rolls the whole database part back when one delete fails", async () => {
  using state = tempDir();
  seedState(state.path);
  const db = new DatabaseSync(join(state.path, "state.db"));
  db.exec(
    "CREATE TABLE pins (session_id TEXT NOT NULL REFERENCES sessions(id)); INSERT INTO pins VALUES ('s2')",
  );
  db.close();
  const before = counts(state.path);
  await assertRejects(
    resetState(isolatedEnv(state.path), { categories: ["sessions", "usage"] }),
  );
  assertEquals(counts(state.path), before);
});

Deno.test("resetState() refuses a symlinked memory dir before deleting anything", async () => {
  using state = tempDir();
  using other = tempDir();
  seedState(state.path);
  await Deno.remove(join(state.path, "memory"), { recursive: true });
  await Deno.writeTextFile(join(other.path, "keep.md"), "keep");
  await Deno.symlink(other.path, join(state.path, "memory"));
  const before = await treeDigest(state.path);
  await assertRejects(
    resetState(isolatedEnv(state.path), { categories: ["sessions", "memory"] }),
    (error: unknown) =>
      error instanceof CaraError && error.code === "reset_target_unsafe",
  );
  assertEquals(await treeDigest(state.path), before);
  assertEquals(await Deno.readTextFile(join(other.path, "keep.md")), "keep");
});

Deno.test("resetState() refuses while a daemon holds the lock", async () => {
  using state = tempDir();
  seedState(state.path);
  await using _lock = await acquireDaemonLock(state.path);
  await assertRejects(
    resetState(isolatedEnv(state.path), { categories: ["sessions"] }),
    (error: unknown) =>
      error instanceof CaraError && error.code === "daemon_running",
  );
  assertEquals(counts(state.path).sessions, 2);
});
