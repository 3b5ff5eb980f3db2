import { configSchema } from "../../../gateway/config/schema.ts";
import { ConnectionSessions } from "../../../gateway/sessions/connection_sessions.ts";
import { sessionMethods } from "../../../gateway/sessions/session_methods.ts";
import type { StateDatabase } from "../../../gateway/state/mod.ts";
import { assert, assertEquals, assertRejects } from "../../_helpers.ts";
import { connCaller, stateOf } from "./_helpers.ts";

const ADMIN_METHODS = [
  "sessions.switch",
  "sessions.archives",
  "sessions.archive.delete",
  "sessions.export_user",
  "sessions.purge_user",
];

function callerOf(state: StateDatabase, defaults = new ConnectionSessions()) {
  const config = configSchema.parse({});
  return connCaller(sessionMethods({ state, config: () => config, defaults }));
}

function seed(
  state: StateDatabase,
  key: string,
  options: { userId?: string; messages?: string[] } = {},
) {
  const session = state.sessions.create({
    sessionKey: key,
    metadata: options.userId === undefined ? {} : { user_id: options.userId },
  });
  for (const content of options.messages ?? []) {
    state.sessions.messages.append({
      sessionId: session.id,
      role: "user",
      content,
    });
  }
  return session;
}

Deno.test("sessionMethods() refuse the rule-1 admin methods to a read+write connection", async () => {
  using db = stateOf();
  const call = callerOf(db.state);
  for (const name of ADMIN_METHODS) {
    await assertRejects(
      call(name, {}, { scopes: ["operator.read", "operator.write"] }),
      new RegExp(`method '${name}' requires 'operator.admin' scope`),
    );
  }
});

Deno.test("sessions.switch keeps one default per connection until it closes", async () => {
  using db = stateOf();
  seed(db.state, "work");
  seed(db.state, "home");
  const defaults = new ConnectionSessions();
  const call = callerOf(db.state, defaults);
  const one = new AbortController();
  const first = await call("sessions.switch", { key: "work" }, {
    connId: "one",
    closed: one.signal,
  });
  assertEquals([first.ok, first.key, first.previousKey], [true, "work", null]);
  const again = await call("sessions.switch", { key: "home" }, {
    connId: "one",
    closed: one.signal,
  });
  assertEquals(again.previousKey, "work");
  await call("sessions.switch", { key: "work" }, { connId: "two" });
  assertEquals([defaults.get("one"), defaults.get("two")], ["home", "work"]);
  one.abort();
  assertEquals([defaults.get("one"), defaults.size], [undefined, 1]);
});

Deno.test("sessions.switch refuses a missing or archived session", async () => {
  using db = stateOf();
  const archived = seed(db.state, "old");
  db.state.sessions.patch(archived.id, { status: "archived" });
  const call = callerOf(db.state);
  await assertRejects(
    call("sessions.switch", { key: "nope" }),
    /invalid sessions.switch params: no session with key "nope"/,
  );
  await assertRejects(
    call("sessions.switch", { key: "old" }),
    /session "old" is archived; restore it first/,
  );
});

Deno.test("sessions.archives lists only archived sessions, paged, with their count", async () => {
  using db = stateOf();
  for (const key of ["a", "b", "c", "live"]) seed(db.state, key);
  const call = callerOf(db.state);
  for (const key of ["a", "b", "c"]) await call("sessions.archive", { key });
  const page = await call("sessions.archives", { limit: 2 });
  const keys = page.archives as { key: string; status: string }[];
  assertEquals([page.count, keys.length], [3, 2]);
  assert(keys.every((s) => s.status === "archived"));
  const rest = await call("sessions.archives", { limit: 2, offset: 2 });
  assertEquals((rest.archives as unknown[]).length, 1);
  await assertRejects(
    call("sessions.archives", { limit: 1001 }),
    /limit must be an integer from 1 to 1000/,
  );
});

Deno.test("sessions.archive.delete deletes an archived session and its messages, by key or id", async () => {
  using db = stateOf();
  const { state } = db;
  const a = seed(state, "a", { messages: ["one", "two"] });
  const b = seed(state, "b", { messages: ["three"] });
  const call = callerOf(state);
  await assertRejects(
    call("sessions.archive.delete", { key: "a" }),
    /session "a" is not archived; archive it first or use sessions.delete/,
  );
  await call("sessions.archive", { key: "a" });
  await call("sessions.archive", { key: "b" });
  const byKey = await call("sessions.archive.delete", { key: "a" });
  assertEquals([byKey.deleted, byKey.deletedMessages], [true, 2]);
  const byId = await call("sessions.archive.delete", { sessionId: b.id });
  assertEquals([byId.key, byId.deletedMessages], ["b", 1]);
  assertEquals([state.sessions.get(a.id), state.sessions.get(b.id)], [
    undefined,
    undefined,
  ]);
  const left = state.db.prepare("SELECT COUNT(*) AS n FROM messages").get();
  assertEquals(left, { n: 0 });
  await assertRejects(
    call("sessions.archive.delete", { sessionId: b.id }),
    /no session with id/,
  );
});
