import { configSchema } from "../../../gateway/config/schema.ts";
import { ConnectionSessions } from "../../../gateway/sessions/connection_sessions.ts";
import { sessionMethods } from "../../../gateway/sessions/session_methods.ts";
import type { StateDatabase } from "../../../gateway/state/mod.ts";
import { assertEquals, assertRejects } from "../../_helpers.ts";
import { connCaller, stateOf } from "./_helpers.ts";

const config = configSchema.parse({});

function listCaller(state: StateDatabase) {
  return connCaller(
    sessionMethods({
      state,
      config: () => config,
      defaults: new ConnectionSessions(),
    }),
  );
}

function keysOf(answer: Record<string, unknown>): string[] {
  return (answer.sessions as { key: string }[]).map((s) => s.key);
}

/** Sets when a session was last updated/active, `minutesAgo` before now. */
function age(state: StateDatabase, key: string, minutesAgo: number): void {
  const at = Date.now() - minutesAgo * 60_000;
  state.db.prepare(
    "UPDATE sessions SET updated_at = ?, last_activity_at = ? WHERE session_key = ?",
  ).run(at, at, key);
}

Deno.test("sessions.list filters by channel before paging and counts the filtered total", async () => {
  using db = stateOf();
  const { state } = db;
  // The three matches are the oldest: paging before filtering would find none on page 1.
  for (let i = 0; i < 3; i++) {
    state.sessions.create({ sessionKey: `main:telegram:${i}` });
    age(state, `main:telegram:${i}`, 100 + i);
  }
  for (let i = 0; i < 30; i++) {
    state.sessions.create({ sessionKey: `main:default:${i}` });
  }
  const call = listCaller(state);
  const first = await call("sessions.list", { channel: "telegram", limit: 2 });
  assertEquals(keysOf(first), ["main:telegram:0", "main:telegram:1"]);
  assertEquals(first.count, 3);
  const second = await call("sessions.list", {
    channel: "telegram",
    limit: 2,
    offset: 2,
  });
  assertEquals(keysOf(second), ["main:telegram:2"]);
  assertEquals(second.count, 3);
  const all = await call("sessions.list", { limit: 5 });
  assertEquals(all.count, 33);
});

Deno.test("sessions.list matches channel, userId and label in metadata", async () => {
  using db = stateOf();
  const { state } = db;
  state.sessions.create({
    sessionKey: "a",
    metadata: { channel: "slack", user_id: "alice", label: "work" },
  });
  state.sessions.create({
    sessionKey: "b",
    metadata: { channel: "slack", user_id: "bob", tags: ["work", "x"] },
  });
  state.sessions.create({
    sessionKey: "c",
    metadata: { channel: "matrix", user_id: "alice", name: "work" },
  });
  state.sessions.create({ sessionKey: "main:slack:d" });
  const call = listCaller(state);
  const list = async (params: Record<string, unknown>) =>
    keysOf(await call("sessions.list", params)).sort();
  assertEquals(await list({ channel: "slack" }), ["a", "b", "main:slack:d"]);
  assertEquals(await list({ userId: "alice" }), ["a", "c"]);
  assertEquals(await list({ label: "work" }), ["a", "b", "c"]);
  assertEquals(await list({ label: "work", channel: "slack" }), ["a", "b"]);
  assertEquals(await list({ userId: "alice", channel: "matrix" }), ["c"]);
  assertEquals(await list({ userId: "nobody" }), []);
});

Deno.test("sessions.list filters by status, activeMinutes, agentId and search together", async () => {
  using db = stateOf();
  const { state } = db;
  for (const key of ["main:x:1", "main:x:2", "ops:x:3", "main:x:old"]) {
    state.sessions.create({ sessionKey: key });
  }
  state.sessions.patch(state.sessions.getByKey("main:x:2")!.id, {
    status: "paused",
  });
  age(state, "main:x:old", 120);
  const call = listCaller(state);
  const recent = await call("sessions.list", { activeMinutes: 60 });
  assertEquals(keysOf(recent).sort(), ["main:x:1", "main:x:2", "ops:x:3"]);
  assertEquals(recent.count, 3);
  const active = await call("sessions.list", {
    status: "active",
    agentId: "main",
    activeMinutes: 60,
  });
  assertEquals([keysOf(active), active.count], [["main:x:1"], 1]);
  const found = await call("sessions.list", { search: "OLD" });
  assertEquals(keysOf(found), ["main:x:old"]);
});

Deno.test("sessions.list refuses an unknown status and an out-of-range activeMinutes", async () => {
  using db = stateOf();
  const call = listCaller(db.state);
  await assertRejects(
    call("sessions.list", { status: "gone" }),
    /status must be one of/,
  );
  await assertRejects(
    call("sessions.list", { activeMinutes: 0 }),
    /activeMinutes must be an integer from 1/,
  );
  await assertRejects(
    call("sessions.list", { channel: 7 }),
    /channel must be a non-empty string/,
  );
});
