import { join } from "node:path";
import { MIGRATIONS, openDatabase } from "../../../gateway/state/mod.ts";
import { assertEquals, tempDir } from "../../_helpers.ts";
import { type Ack, startWriter } from "./_writer.ts";

const STEPS = 200;

async function collect(
  writer: ReturnType<typeof startWriter>,
): Promise<{ acks: Ack[]; code: number; stderr: string }> {
  const acks: Ack[] = [];
  for await (const ack of writer.acks()) acks.push(ack);
  const status = await writer.child.status;
  return { acks, code: status.code, stderr: await writer.stderr() };
}

Deno.test("openDatabase() lets two processes create, migrate and write one database at once", async () => {
  using dir = tempDir();
  const path = join(dir.path, "state.db");
  await using a = startWriter(path, { label: "alpha", steps: STEPS });
  await using b = startWriter(path, { label: "beta", steps: STEPS });
  const [ra, rb] = await Promise.all([collect(a), collect(b)]);
  assertEquals([ra.code, ra.acks.length], [0, STEPS], ra.stderr);
  assertEquals([rb.code, rb.acks.length], [0, STEPS], rb.stderr);

  using state = openDatabase(path);
  assertEquals(state.schemaVersion(), MIGRATIONS.length);
  const ledger = state.db.prepare("SELECT COUNT(*) AS n FROM schema_migrations")
    .get();
  assertEquals(ledger?.n, MIGRATIONS.length);
  for (const label of ["alpha", "beta"]) {
    const session = state.sessions.getByKey(label);
    const seqs = state.sessions.messages.list(session?.id ?? "", {
      limit: 1000,
    }).map((m) => m.seq);
    assertEquals(seqs, Array.from({ length: STEPS }, (_, i) => i + 1), label);
  }
  assertEquals(
    state.audit.list({ limit: 10_000, event: "tool_executed" }).length,
    2 * STEPS,
  );
});
