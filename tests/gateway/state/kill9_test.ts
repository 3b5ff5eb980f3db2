import { join } from "node:path";
import { MIGRATIONS, openDatabase } from "../../../gateway/state/mod.ts";
import { assert, assertEquals, tempDir } from "../../_helpers.ts";
import { manualClock, T0 } from "./_helpers.ts";
import { type Ack, startWriter } from "./_writer.ts";

const ACKS_BEFORE_KILL = 300;
const DEADLINE_MS = 120_000;

Deno.test({
  name:
    "openDatabase() keeps every acknowledged write when the writer is killed with SIGKILL",
  ignore: Deno.build.os === "windows",
  async fn() {
    using dir = tempDir();
    const path = join(dir.path, "state.db");
    openDatabase(path, { clock: manualClock().clock }).close();

    const acks: Ack[] = [];
    {
      await using writer = startWriter(path, { label: "kill9" });
      const deadline = setTimeout(
        () => writer.child.kill("SIGKILL"),
        DEADLINE_MS,
      );
      try {
        for await (const ack of writer.acks()) {
          acks.push(ack);
          if (acks.length === ACKS_BEFORE_KILL) writer.child.kill("SIGKILL");
        }
      } finally {
        clearTimeout(deadline);
      }
      const status = await writer.child.status;
      assertEquals(status.signal, "SIGKILL", await writer.stderr());
    }
    assert(acks.length >= ACKS_BEFORE_KILL, `only ${acks.length} acks`);

    using state = openDatabase(path, { clock: () => T0 + 3_600_000 });
    const check = state.db.prepare("PRAGMA integrity_check").all();
    assertEquals(check.map((row) => row.integrity_check), ["ok"]);
    const applied = state.db.prepare(
      "SELECT version, applied_at FROM schema_migrations ORDER BY version",
    ).all().map((row) => [row.version, row.applied_at]);
    assertEquals(applied, MIGRATIONS.map((m) => [m.version, T0]));

    const messages = state.sessions.messages;
    for (const ack of acks) {
      const message = messages.get(ack.messageId);
      assertEquals(message?.content, `kill9 message ${ack.step}`);
      assertEquals(message?.seq, ack.step + 1);
    }
    const session = state.sessions.getByKey("kill9");
    const stored = messages.count(session?.id ?? "");
    // At most one step can be committed but not yet acknowledged.
    assert(stored >= acks.length && stored <= acks.length + 1, `${stored}`);
    assertEquals(session?.messageCount, stored);

    const audit = new Map(
      state.audit.list({ limit: 10_000 }).map((e) => [e.id, e]),
    );
    for (const ack of acks) {
      assertEquals(audit.get(ack.auditId)?.data, {
        label: "kill9",
        step: ack.step,
      });
    }
  },
});
