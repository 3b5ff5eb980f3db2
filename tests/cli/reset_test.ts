import { join } from "node:path";
import {
  assert,
  assertEquals,
  assertMatch,
  isolatedEnv,
  runCara,
  runCaraInProcess,
  tempDir,
} from "../_helpers.ts";
import { seedState, treeDigest } from "../gateway/backup/_helpers.ts";
import { spawnLockHolder } from "../gateway/daemon/_helpers.ts";

Deno.test("cara reset without a category exits 1 listing the flags", async () => {
  using state = tempDir();
  const result = await runCaraInProcess(
    ["reset", "--force"],
    isolatedEnv(state.path),
  );
  assertEquals(result.code, 1);
  assertEquals(
    result.stderr,
    "Error: Cannot reset: no category chosen; pass one or more of --sessions, --cron, --usage, --memory, or --all\n",
  );
});

Deno.test("cara reset without --force lists what would go, exits 1 and deletes nothing", async () => {
  using state = tempDir();
  seedState(state.path);
  const before = await treeDigest(state.path);
  const result = await runCaraInProcess(
    ["reset", "--all"],
    isolatedEnv(state.path),
  );
  assertEquals(result.code, 1);
  assertEquals(
    result.stdout,
    `Would delete from "${state.path}":\n` +
      "  sessions 3 messages, 2 sessions\n" +
      "  cron     nothing to delete\n" +
      "  usage    2 usage records\n" +
      "  memory   2 files\n",
  );
  assertEquals(
    result.stderr,
    "Error: Pass --force to delete the categories listed above\n",
  );
  assertEquals(await treeDigest(state.path), before);
});

Deno.test("cara reset --sessions --memory --force deletes them and keeps the config", async () => {
  using state = tempDir();
  seedState(state.path);
  const result = await runCaraInProcess([
    "reset",
    "--sessions",
    "--memory",
    "--force",
  ], isolatedEnv(state.path));
  assertEquals(result.code, 0, result.stderr);
  assertEquals(
    result.stdout,
    `Deleted from "${state.path}":\n  sessions 3 messages, 2 sessions\n  memory   2 files\n`,
  );
  assert((await Deno.stat(join(state.path, "carapace.json5"))).isFile);
  const again = await runCaraInProcess(
    ["reset", "--sessions", "--force"],
    isolatedEnv(state.path),
  );
  assertMatch(again.stdout, /sessions nothing to delete/);
});

Deno.test("cara reset refuses while a daemon (a child process) holds the lock", async () => {
  using state = tempDir();
  seedState(state.path);
  await using child = await spawnLockHolder(state.path);
  const before = await treeDigest(state.path);
  const result = await runCaraInProcess(
    ["reset", "--all", "--force"],
    isolatedEnv(state.path),
  );
  assertEquals(result.code, 1);
  assertEquals(
    result.stderr,
    `Error: Cannot reset the state while the cara daemon is running (pid ${child.pid}): stop it and retry\n`,
  );
  // Only the lock holder's own files may differ; the data is untouched.
  const after = await treeDigest(state.path);
  for (
    const name of [
      "state.db",
      "carapace.json5",
      "memory/top.md",
      "memory/notes/a.md",
    ]
  ) {
    assertEquals(after.get(name), before.get(name), name);
  }
});

Deno.test("cara reset --help lists every category and examples", async () => {
  using state = tempDir();
  const result = await runCaraInProcess(
    ["reset", "--help"],
    isolatedEnv(state.path),
  );
  assertEquals(result.code, 0);
  for (
    const text of [
      "--sessions",
      "--cron",
      "--usage",
      "--memory",
      "--all",
      "--force",
      "Examples:",
    ]
  ) {
    assert(result.stdout.includes(text), text);
  }
});

Deno.test("cara reset --usage --force works as a child process", async () => {
  using state = tempDir();
  seedState(state.path);
  const result = await runCara(["reset", "--usage", "--force"], {
    env: isolatedEnv(state.path),
  });
  assertEquals(result.code, 0, result.stderr);
  assertMatch(result.stdout, / {2}usage {4}2 usage records\n/);
});
