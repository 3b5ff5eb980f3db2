import {
  compactSession,
  resetSession,
} from "../../../gateway/sessions/session_ops.ts";
import { MESSAGE_LIST_MAX, openDatabase } from "../../../gateway/state/mod.ts";
import { assertEquals, assertThrows } from "../../_helpers.ts";
import { testDatabase } from "./_helpers.ts";

// The newest MESSAGE_LIST_MAX messages of a session are kept in memory; these
// tests check that what list() returns always equals what is stored.

function withHistory(count: number) {
  const t = testDatabase();
  const session = t.state.sessions.create({ sessionKey: "main:cli:default" });
  const messages = t.state.sessions.messages;
  for (let i = 0; i < count; i++) {
    messages.append({
      sessionId: session.id,
      role: i % 2 === 0 ? "user" : "assistant",
      content: `m${i}`,
    });
  }
  return Object.assign(t, { session, messages });
}

function stored(t: ReturnType<typeof withHistory>): string[] {
  // A second connection reads only what was committed.
  using other = openDatabase(t.path);
  return other.db.prepare(
    "SELECT content FROM messages WHERE session_id = ? ORDER BY seq",
  ).all(t.session.id).map((row) => String(row.content));
}

function listed(t: ReturnType<typeof withHistory>, limit = MESSAGE_LIST_MAX) {
  return t.messages.list(t.session.id, { limit }).map((m) => m.content);
}

Deno.test("list() follows appends and streamed updates made through the store", () => {
  using t = withHistory(3);
  assertEquals(listed(t), ["m0", "m1", "m2"]);
  const reply = t.messages.append({
    sessionId: t.session.id,
    role: "assistant",
    content: "",
    incomplete: true,
  });
  t.messages.updateContent(reply.id, "partial", { incomplete: true });
  assertEquals(
    t.messages.list(t.session.id, { limit: 1 })[0]?.incomplete,
    true,
  );
  t.messages.updateContent(reply.id, "done");
  assertEquals(listed(t), ["m0", "m1", "m2", "done"]);
  assertEquals(listed(t), stored(t));
  assertEquals(listed(t, 2), ["m2", "done"]);
});

Deno.test("list() sees writes made with plain SQL and by another connection", () => {
  using t = withHistory(4);
  assertEquals(listed(t), stored(t));
  t.state.db.prepare("UPDATE messages SET content = 'edited' WHERE seq = 2")
    .run();
  assertEquals(listed(t), ["m0", "edited", "m2", "m3"]);
  {
    using other = openDatabase(t.path);
    other.sessions.messages.append({
      sessionId: t.session.id,
      role: "user",
      content: "from elsewhere",
    });
  }
  assertEquals(listed(t), stored(t));
  assertEquals(listed(t).at(-1), "from elsewhere");
});

Deno.test("list() reflects a session reset and a compaction", () => {
  using t = withHistory(6);
  listed(t);
  compactSession(t.state, t.session, 2);
  assertEquals(listed(t), ["m4", "m5"]);
  resetSession(t.state, t.session);
  assertEquals(listed(t), []);
  assertEquals(stored(t), []);
});

Deno.test("list() never returns a message whose transaction was rolled back", () => {
  using t = withHistory(2);
  listed(t);
  assertThrows(() =>
    t.state.transaction(() => {
      t.messages.append({
        sessionId: t.session.id,
        role: "user",
        content: "rolled back",
      });
      throw new Error("abort the transaction");
    })
  );
  assertEquals(listed(t), ["m0", "m1"]);
  t.messages.append({ sessionId: t.session.id, role: "user", content: "kept" });
  assertEquals(listed(t), ["m0", "m1", "kept"]);
  assertEquals(listed(t), stored(t));
});

Deno.test("list() keeps only the newest MESSAGE_LIST_MAX messages and pages older ones from the database", () => {
  using t = withHistory(MESSAGE_LIST_MAX + 5);
  const newest = listed(t);
  assertEquals(newest.length, MESSAGE_LIST_MAX);
  assertEquals(newest[0], "m5");
  t.messages.append({ sessionId: t.session.id, role: "user", content: "new" });
  assertEquals(listed(t), stored(t).slice(-MESSAGE_LIST_MAX));
  const older = t.messages.list(t.session.id, { limit: 3, beforeSeq: 4 });
  assertEquals(older.map((m) => m.content), ["m0", "m1", "m2"]);
});

Deno.test("messages handed out by list() cannot be changed by the caller", () => {
  using t = withHistory(1);
  const [first] = t.messages.list(t.session.id, { limit: MESSAGE_LIST_MAX });
  assertThrows(() => {
    (first as { content: string }).content = "tampered";
  });
  assertEquals(listed(t), ["m0"]);
});
