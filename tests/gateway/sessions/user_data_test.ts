import { configSchema } from "../../../gateway/config/schema.ts";
import { ConnectionSessions } from "../../../gateway/sessions/connection_sessions.ts";
import { sessionMethods } from "../../../gateway/sessions/session_methods.ts";
import { exportUserSessions } from "../../../gateway/sessions/user_data.ts";
import type { StateDatabase } from "../../../gateway/state/mod.ts";
import { assertEquals, assertRejects, assertThrows } from "../../_helpers.ts";
import { connCaller, stateOf } from "./_helpers.ts";

function callerOf(state: StateDatabase) {
  const config = configSchema.parse({});
  return connCaller(
    sessionMethods({
      state,
      config: () => config,
      defaults: new ConnectionSessions(),
    }),
  );
}

function seed(state: StateDatabase, key: string, userId: string, n: number) {
  const session = state.sessions.create({
    sessionKey: key,
    metadata: { user_id: userId },
  });
  for (let i = 0; i < n; i++) {
    state.sessions.messages.append({
      sessionId: session.id,
      role: i % 2 === 0 ? "user" : "assistant",
      content: `${key} message ${i}`,
    });
  }
}

Deno.test("sessions.export_user returns every session and message of the user and audits data_exported", async () => {
  using db = stateOf();
  const { state } = db;
  seed(state, "alice:1", "alice", 2);
  seed(state, "alice:2", "alice", 3);
  seed(state, "bob:1", "bob", 1);
  const call = callerOf(state);
  const data = await call("sessions.export_user", { userId: "alice" });
  assertEquals([data.userId, data.sessionCount, data.messageCount], [
    "alice",
    2,
    5,
  ]);
  const sessions = data.sessions as {
    session: { key: string };
    messages: { content: string; seq: number }[];
  }[];
  assertEquals(sessions.map((s) => s.session.key), ["alice:1", "alice:2"]);
  assertEquals(sessions[1]!.messages.map((m) => m.seq), [1, 2, 3]);
  assertEquals(sessions[0]!.messages[1]!.content, "alice:1 message 1");
  // The answer survives the WS frame serialisation.
  assertEquals(JSON.parse(JSON.stringify(data)), data);
  const [audit] = state.audit.list({ event: "data_exported" });
  assertEquals(audit?.data.userId, "alice");
  assertEquals(audit?.data.messages, 5);
  const none = await call("sessions.export_user", { userId: "carol" });
  assertEquals([none.sessionCount, none.sessions], [0, []]);
});

Deno.test("exportUserSessions() refuses an export over its byte cap with one clear line", () => {
  using db = stateOf();
  seed(db.state, "alice:1", "alice", 50);
  assertThrows(
    () => exportUserSessions(db.state, "alice", { maxBytes: 2000 }),
    /^CaraError: Cannot export the sessions of user "alice": the export passes 2000 bytes; /,
  );
  assertEquals(
    exportUserSessions(db.state, "alice", { maxBytes: 1_000_000 })
      .messageCount,
    50,
  );
});

Deno.test("sessions.purge_user needs confirm: true, deletes only that user's data and audits session_purged", async () => {
  using db = stateOf();
  const { state } = db;
  seed(state, "alice:1", "alice", 2);
  seed(state, "alice:2", "alice", 3);
  seed(state, "bob:1", "bob", 1);
  const call = callerOf(state);
  await assertRejects(
    call("sessions.purge_user", { userId: "alice" }),
    /confirm must be true to delete every session of user "alice"/,
  );
  await assertRejects(
    call("sessions.purge_user", { userId: "alice", confirm: "yes" }),
    /confirm must be a boolean/,
  );
  assertEquals(state.sessions.count(), 3);
  const purged = await call("sessions.purge_user", {
    userId: "alice",
    confirm: true,
  });
  assertEquals(purged, {
    ok: true,
    userId: "alice",
    deletedSessions: 2,
    deletedMessages: 5,
  });
  assertEquals(
    state.sessions.list().map((s) => s.sessionKey),
    ["bob:1"],
  );
  assertEquals(
    state.db.prepare("SELECT COUNT(*) AS n FROM messages").get(),
    { n: 1 },
  );
  const [audit] = state.audit.list({ event: "session_purged" });
  assertEquals(
    [audit?.data.userId, audit?.data.deletedSessions, audit?.data.connId],
    ["alice", 2, "c1"],
  );
});
