import { CaraError } from "../../../gateway/errors.ts";
import type { SessionStatus } from "../../../gateway/state/mod.ts";
import { assertEquals, assertMatch } from "../../_helpers.ts";
import { T0, testDatabase, thrown } from "./_helpers.ts";

const UUID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

Deno.test("SessionStore.create() makes an active session with a uuid and the clock time", () => {
  using t = testDatabase();
  const session = t.state.sessions.create({
    sessionKey: "main:telegram:42",
    metadata: { channel: "telegram", tags: ["a"] },
  });
  assertMatch(session.id, UUID);
  assertEquals(session, {
    id: session.id,
    sessionKey: "main:telegram:42",
    status: "active",
    metadata: { channel: "telegram", tags: ["a"] },
    messageCount: 0,
    createdAt: T0,
    updatedAt: T0,
    lastActivityAt: null,
  });
  assertEquals(t.state.sessions.get(session.id), session);
  assertEquals(t.state.sessions.getByKey("main:telegram:42"), session);
});

Deno.test("SessionStore.create() refuses a key that is taken, naming it", () => {
  using t = testDatabase();
  t.state.sessions.create({ sessionKey: "main:default:default" });
  const error = thrown(
    () => t.state.sessions.create({ sessionKey: "main:default:default" }),
    CaraError,
  );
  assertEquals(error.code, "session_exists");
  assertMatch(
    error.message,
    /"main:default:default": a session with this key already exists/,
  );
  assertEquals(t.state.sessions.count(), 1);
});

Deno.test("SessionStore.create() refuses an empty key and oversized metadata", () => {
  using t = testDatabase();
  thrown(() => t.state.sessions.create({ sessionKey: "" }), CaraError);
  thrown(
    () => t.state.sessions.create({ sessionKey: "k".repeat(513) }),
    CaraError,
  );
  const error = thrown(
    () =>
      t.state.sessions.create({
        sessionKey: "big",
        metadata: { blob: "x".repeat(4 * 1024 * 1024) },
      }),
    CaraError,
  );
  assertMatch(
    error.message,
    /session metadata: it is \d+ bytes, the limit is 4194304/,
  );
  assertEquals(t.state.sessions.count(), 0);
});

Deno.test("SessionStore.get() and getByKey() return undefined for unknown sessions", () => {
  using t = testDatabase();
  assertEquals(t.state.sessions.get("nope"), undefined);
  assertEquals(t.state.sessions.getByKey("nope"), undefined);
});

Deno.test("SessionStore.list() pages by most recent update and filters by status", () => {
  using t = testDatabase();
  const { sessions } = t.state;
  for (const key of ["a", "b", "c", "d"]) {
    sessions.create({ sessionKey: key });
    t.time.advance(10);
  }
  const b = sessions.getByKey("b");
  sessions.patch(b?.id ?? "", { status: "archived" });
  assertEquals(sessions.list().map((s) => s.sessionKey), ["b", "d", "c", "a"]);
  assertEquals(sessions.list({ limit: 2 }).map((s) => s.sessionKey), [
    "b",
    "d",
  ]);
  assertEquals(
    sessions.list({ limit: 2, offset: 2 }).map((s) => s.sessionKey),
    ["c", "a"],
  );
  assertEquals(
    sessions.list({ status: "active" }).map((s) => s.sessionKey),
    ["d", "c", "a"],
  );
  assertEquals(sessions.list({ status: "archived" }).length, 1);
  assertEquals(sessions.count(), 4);
  assertEquals(sessions.count({ status: "active" }), 3);
  assertEquals(sessions.count({ status: "paused" }), 0);
});

Deno.test("SessionStore.list() refuses a bad limit, offset or status", () => {
  using t = testDatabase();
  const { sessions } = t.state;
  thrown(() => sessions.list({ limit: 0 }), CaraError);
  thrown(() => sessions.list({ limit: 1001 }), CaraError);
  thrown(() => sessions.list({ offset: -1 }), CaraError);
  const error = thrown(
    () => sessions.list({ status: "deleted" as unknown as SessionStatus }),
    CaraError,
  );
  assertMatch(
    error.message,
    /expected one of active, paused, archived, compacting/,
  );
});

Deno.test("SessionStore.patch() merges metadata, removes null keys and sets status", () => {
  using t = testDatabase();
  const { sessions } = t.state;
  const s = sessions.create({
    sessionKey: "k",
    metadata: { model: "a", route: "r", compaction: { count: 1, keep: true } },
  });
  t.time.advance(7);
  const patched = sessions.patch(s.id, {
    metadata: { model: "b", route: null, compaction: { count: 2 } },
    status: "paused",
  });
  assertEquals(patched?.metadata, {
    model: "b",
    compaction: { count: 2, keep: true },
  });
  assertEquals(patched?.status, "paused");
  assertEquals(patched?.updatedAt, T0 + 7);
  assertEquals(patched?.createdAt, T0);
  assertEquals(sessions.patch("missing", { status: "active" }), undefined);
});

Deno.test("SessionStore.patch() refuses an unknown status and keeps the row", () => {
  using t = testDatabase();
  const s = t.state.sessions.create({ sessionKey: "k" });
  thrown(
    () =>
      t.state.sessions.patch(s.id, {
        status: "gone" as unknown as SessionStatus,
      }),
    CaraError,
  );
  assertEquals(t.state.sessions.get(s.id)?.status, "active");
});

Deno.test("SessionStore.rename() sets metadata.name and keeps other metadata", () => {
  using t = testDatabase();
  const s = t.state.sessions.create({
    sessionKey: "k",
    metadata: { channel: "cli" },
  });
  assertEquals(t.state.sessions.rename(s.id, "Trip planning")?.metadata, {
    channel: "cli",
    name: "Trip planning",
  });
  thrown(() => t.state.sessions.rename(s.id, ""), CaraError);
  assertEquals(t.state.sessions.rename("missing", "x"), undefined);
});

Deno.test("SessionStore.delete() removes the session and cascades to its messages", () => {
  using t = testDatabase();
  const { sessions } = t.state;
  const gone = sessions.create({ sessionKey: "gone" });
  const kept = sessions.create({ sessionKey: "kept" });
  sessions.messages.append({ sessionId: gone.id, role: "user", content: "a" });
  sessions.messages.append({ sessionId: kept.id, role: "user", content: "b" });
  assertEquals(sessions.delete(gone.id), true);
  assertEquals(sessions.delete(gone.id), false);
  assertEquals(sessions.get(gone.id), undefined);
  assertEquals(sessions.messages.count(gone.id), 0);
  assertEquals(sessions.messages.count(kept.id), 1);
  const orphans = t.state.db.prepare(
    "SELECT COUNT(*) AS n FROM messages WHERE session_id = ?",
  ).get(gone.id);
  assertEquals(orphans?.n, 0);
});
