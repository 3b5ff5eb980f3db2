import { join } from "node:path";
import { DEFER_MS, openDatabase } from "../../../gateway/state/mod.ts";
import { CHECKPOINT_IDLE_MS } from "../../../gateway/state/database.ts";
import { assert, assertEquals, assertThrows, tempDir } from "../../_helpers.ts";
import { testDatabase } from "./_helpers.ts";

function storedEvents(path: string): string[] {
  // A second connection sees only what was committed.
  using other = openDatabase(path);
  return other.db.prepare("SELECT event FROM audit_events ORDER BY id")
    .all().map((row) => String(row.event));
}

Deno.test("defer() queues a write until flushDeferred() commits it", () => {
  using t = testDatabase();
  t.state.defer(() => t.state.audit.append({ event: "auth_success" }));
  assertEquals(storedEvents(t.path), []);
  t.state.flushDeferred();
  assertEquals(storedEvents(t.path), ["auth_success"]);
});

Deno.test("defer() commits on its own, without a flush, about DEFER_MS later", async () => {
  using t = testDatabase();
  t.state.defer(() => t.state.audit.append({ event: "auth_success" }));
  assertEquals(storedEvents(t.path), []);
  // A loaded machine runs timers late: wait for it, within reason.
  const deadline = Date.now() + DEFER_MS + 5_000;
  while (storedEvents(t.path).length === 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, DEFER_MS));
  }
  assertEquals(storedEvents(t.path), ["auth_success"]);
});

Deno.test("audit.list() sees deferred rows, with the time they happened", () => {
  using t = testDatabase();
  const at = t.time.clock();
  t.state.defer(() =>
    t.state.audit.append({ event: "auth_failure", data: { n: 1 }, ts: at })
  );
  t.time.advance(40);
  const [event] = t.state.audit.list();
  assertEquals([event?.event, event?.ts, event?.data], [
    "auth_failure",
    at,
    { n: 1 },
  ]);
});

Deno.test("close() commits deferred writes: nothing queued is lost on a clean stop", () => {
  const dir = tempDir("cara-defer-");
  try {
    const path = join(dir.path, "state.db");
    const state = openDatabase(path);
    state.defer(() => state.audit.append({ event: "auth_success" }));
    state.close();
    assertEquals(storedEvents(path), ["auth_success"]);
  } finally {
    dir[Symbol.dispose]();
  }
});

Deno.test("transaction() commits deferred writes first, so writes keep their order", () => {
  using t = testDatabase();
  t.state.defer(() => t.state.audit.append({ event: "first" }));
  t.state.transaction(() => t.state.audit.append({ event: "second" }));
  assertEquals(storedEvents(t.path), ["first", "second"]);
});

Deno.test("a deferred write that fails is dropped without losing the others", () => {
  using t = testDatabase();
  t.state.defer(() => t.state.audit.append({ event: "before" }));
  t.state.defer(() => t.state.audit.append({ event: "Not A Name" }));
  t.state.defer(() => t.state.audit.append({ event: "after" }));
  t.state.flushDeferred();
  assertEquals(storedEvents(t.path), ["before", "after"]);
  assert(!t.state.db.isTransaction);
});

Deno.test("durably() commits at once and resolves synced once the write is on disk", async () => {
  using t = testDatabase();
  const writes = Array.from(
    { length: 20 },
    (_, i) =>
      t.state.durably(() => t.state.audit.append({ event: `write_${i}` })),
  );
  // Committed before the sync: another connection already reads them.
  assertEquals(storedEvents(t.path).length, 20);
  await Promise.all(writes.map((w) => w.synced));
  assertEquals(writes.map((w) => typeof w.value), Array(20).fill("number"));
  assert(!t.state.db.isTransaction);
});

Deno.test("durably() rolls back and throws when its work throws, syncing nothing", () => {
  using t = testDatabase();
  assertThrows(
    () =>
      t.state.durably(() => {
        t.state.audit.append({ event: "half_done" });
        throw new Error("boom");
      }),
    /boom/,
  );
  assertEquals(storedEvents(t.path), []);
});

Deno.test("the WAL is copied into the database once writes pause, not inside a commit", async () => {
  using t = testDatabase();
  const size = () => Deno.statSync(t.path).size;
  const before = size();
  for (let i = 0; i < 300; i++) {
    t.state.transaction(() =>
      t.state.audit.append({ event: "grow", data: { i, pad: "x".repeat(500) } })
    );
  }
  // Committed to the WAL only: the database file has not grown yet.
  assertEquals(size(), before);
  const deadline = Date.now() + CHECKPOINT_IDLE_MS + 5_000;
  while (size() === before && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert(size() > before, `${size()} <= ${before}`);
});

Deno.test("defer() keeps only the last write queued under a key", () => {
  using t = testDatabase();
  for (const n of [1, 2, 3]) {
    t.state.defer(
      () => t.state.audit.append({ event: `seen_${n}` }),
      "device-seen:a",
    );
  }
  t.state.defer(() => t.state.audit.append({ event: "other" }));
  t.state.flushDeferred();
  assertEquals(storedEvents(t.path), ["seen_3", "other"]);
});
