import { CaraError } from "../../../gateway/errors.ts";
import {
  MESSAGE_CONTENT_MAX_BYTES,
  type MessageRole,
} from "../../../gateway/state/mod.ts";
import { assertEquals, assertMatch } from "../../_helpers.ts";
import { T0, testDatabase, thrown } from "./_helpers.ts";

function withSession() {
  const t = testDatabase();
  const session = t.state.sessions.create({ sessionKey: "main:cli:default" });
  return Object.assign(t, { session, messages: t.state.sessions.messages });
}

Deno.test("MessageStore.append() stores every field with sequence 1, 2, 3 per session", () => {
  using t = withSession();
  const other = t.state.sessions.create({ sessionKey: "other" });
  const first = t.messages.append({
    sessionId: t.session.id,
    role: "user",
    content: "hello",
  });
  t.time.advance(5);
  const tool = t.messages.append({
    sessionId: t.session.id,
    role: "tool",
    content: '{"ok":true}',
    toolCallId: "call_1",
    toolName: "web_fetch",
    tokens: 12,
    metadata: { status: 200 },
  });
  const elsewhere = t.messages.append({
    sessionId: other.id,
    role: "user",
    content: "x",
  });
  assertEquals([first.seq, tool.seq, elsewhere.seq], [1, 2, 1]);
  assertEquals(first, {
    id: first.id,
    sessionId: t.session.id,
    seq: 1,
    role: "user",
    content: "hello",
    toolCallId: null,
    toolName: null,
    tokens: null,
    incomplete: false,
    metadata: null,
    createdAt: T0,
    updatedAt: T0,
  });
  assertEquals(t.messages.get(first.id), first);
  assertEquals(t.messages.get(tool.id), tool);
  assertEquals(tool.toolName, "web_fetch");
  assertEquals(tool.metadata, { status: 200 });
});

Deno.test("MessageStore.append() bumps the session's message count and activity time", () => {
  using t = withSession();
  t.time.advance(100);
  t.messages.append({ sessionId: t.session.id, role: "user", content: "a" });
  t.messages.append({
    sessionId: t.session.id,
    role: "assistant",
    content: "b",
  });
  const session = t.state.sessions.get(t.session.id);
  assertEquals(session?.messageCount, 2);
  assertEquals(session?.lastActivityAt, T0 + 100);
  assertEquals(session?.updatedAt, T0 + 100);
  assertEquals(t.messages.count(t.session.id), 2);
});

Deno.test("MessageStore.append() refuses an unknown session and leaves no row", () => {
  using t = withSession();
  const error = thrown(
    () => t.messages.append({ sessionId: "nope", role: "user", content: "a" }),
    CaraError,
  );
  assertEquals(error.code, "session_not_found");
  assertMatch(error.message, /session "nope": no such session/);
  assertEquals(t.messages.count("nope"), 0);
});

Deno.test("MessageStore.append() refuses a bad role, oversized content or negative tokens", () => {
  using t = withSession();
  const sessionId = t.session.id;
  thrown(
    () =>
      t.messages.append({
        sessionId,
        role: "robot" as unknown as MessageRole,
        content: "a",
      }),
    CaraError,
  );
  const error = thrown(
    () =>
      t.messages.append({
        sessionId,
        role: "user",
        content: "é".repeat(MESSAGE_CONTENT_MAX_BYTES / 2 + 1),
      }),
    CaraError,
  );
  assertMatch(error.message, /the limit is 8388608/);
  thrown(
    () =>
      t.messages.append({ sessionId, role: "user", content: "a", tokens: -1 }),
    CaraError,
  );
  assertEquals(t.messages.count(sessionId), 0);
  assertEquals(t.state.sessions.get(sessionId)?.messageCount, 0);
});

Deno.test("MessageStore.updateContent() grows a streamed reply and clears incomplete", () => {
  using t = withSession();
  const reply = t.messages.append({
    sessionId: t.session.id,
    role: "assistant",
    content: "",
    incomplete: true,
  });
  assertEquals(reply.incomplete, true);
  t.time.advance(3);
  assertEquals(
    t.messages.updateContent(reply.id, "Hel", { incomplete: true }),
    true,
  );
  assertEquals(t.messages.get(reply.id)?.incomplete, true);
  assertEquals(t.messages.updateContent(reply.id, "Hello"), true);
  const done = t.messages.get(reply.id);
  assertEquals(done?.content, "Hello");
  assertEquals(done?.incomplete, false);
  assertEquals(done?.updatedAt, T0 + 3);
  assertEquals(done?.createdAt, T0);
  assertEquals(t.messages.updateContent("missing", "x"), false);
});

Deno.test("MessageStore.list() pages backwards by sequence, oldest first in each page", () => {
  using t = withSession();
  for (let i = 1; i <= 7; i++) {
    t.messages.append({
      sessionId: t.session.id,
      role: "user",
      content: `m${i}`,
    });
  }
  const list = (options: { limit?: number; beforeSeq?: number }) =>
    t.messages.list(t.session.id, options).map((m) => m.content);
  assertEquals(list({}), ["m1", "m2", "m3", "m4", "m5", "m6", "m7"]);
  assertEquals(list({ limit: 3 }), ["m5", "m6", "m7"]);
  assertEquals(list({ limit: 3, beforeSeq: 5 }), ["m2", "m3", "m4"]);
  assertEquals(list({ limit: 3, beforeSeq: 2 }), ["m1"]);
  assertEquals(t.messages.list("nope"), []);
  thrown(() => list({ limit: 1001 }), CaraError);
});

Deno.test("MessageStore.append() keeps numbering after the newest message is deleted", () => {
  using t = withSession();
  const sessionId = t.session.id;
  t.messages.append({ sessionId, role: "user", content: "a" });
  const second = t.messages.append({ sessionId, role: "user", content: "b" });
  t.state.db.prepare("DELETE FROM messages WHERE id = ?").run(second.id);
  const third = t.messages.append({ sessionId, role: "user", content: "c" });
  assertEquals(third.seq, 3);
});
