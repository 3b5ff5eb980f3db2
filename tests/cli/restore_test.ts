import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import {
  assert,
  assertEquals,
  assertMatch,
  isolatedEnv,
  runCara,
  runCaraInProcess,
  tempDir,
} from "../_helpers.ts";
import {
  buildTar,
  gzip,
  MARKER,
  seedState,
  sessionTitle,
  treeDigest,
} from "../gateway/backup/_helpers.ts";

async function backupOf(stateDir: string, outDir: string): Promise<string> {
  const result = await runCaraInProcess(
    ["backup", "-o", "b.tar.gz"],
    isolatedEnv(stateDir),
    outDir,
  );
  assertEquals(result.code, 0, result.stderr);
  return join(outDir, "b.tar.gz");
}

function retitle(stateDir: string, title: string): void {
  const db = new DatabaseSync(join(stateDir, "state.db"));
  db.prepare("UPDATE sessions SET title = ?").run(title);
  db.close();
}

Deno.test("cara restore without --force lists the sections, says to pass --force and changes nothing", async () => {
  using state = tempDir();
  using out = tempDir();
  seedState(state.path);
  const archive = await backupOf(state.path, out.path);
  retitle(state.path, "changed");
  const before = await treeDigest(state.path);
  const result = await runCaraInProcess(
    ["restore", "b.tar.gz"],
    isolatedEnv(state.path),
    out.path,
  );
  assertEquals(result.code, 1);
  assertMatch(
    result.stdout,
    new RegExp(
      `^Backup "${archive}" \\(created \\d{8}T\\d{6}Z\\) would restore into`,
    ),
  );
  assertMatch(
    result.stdout,
    /\n {2}state +database \(\d+ bytes\)\n {2}config +carapace\.json5\n {2}memory +2 files\n$/,
  );
  assertMatch(
    result.stderr,
    /^Error: Pass --force to restore ".*b\.tar\.gz": the sections listed above replace the current ones\n$/,
  );
  assertEquals(await treeDigest(state.path), before);
});

Deno.test("cara restore --force restores the backup", async () => {
  using state = tempDir();
  using out = tempDir();
  seedState(state.path, "original");
  await backupOf(state.path, out.path);
  retitle(state.path, "changed");
  const result = await runCaraInProcess(
    ["restore", "b.tar.gz", "--force"],
    isolatedEnv(state.path),
    out.path,
  );
  assertEquals(result.code, 0, result.stderr);
  assertMatch(
    result.stdout,
    /^Restored from ".*b\.tar\.gz" into ".*":\n {2}state /,
  );
  assertEquals(sessionTitle(state.path), "original");
});

Deno.test("cara restore reports a missing file and a hostile archive with one line and exit 1", async () => {
  using state = tempDir();
  seedState(state.path);
  const missing = await runCaraInProcess(
    ["restore", "nope.tar.gz", "--force"],
    isolatedEnv(state.path),
    state.path,
  );
  assertEquals(missing.code, 1);
  assertEquals(
    missing.stderr,
    `Error: Cannot read the backup "${
      join(state.path, "nope.tar.gz")
    }": no such file\n`,
  );
  await Deno.writeFile(
    join(state.path, "evil.tar.gz"),
    await gzip(
      await buildTar([MARKER, { name: "memory/../../evil", content: "x" }]),
    ),
  );
  const before = await treeDigest(state.path);
  const evil = await runCaraInProcess(
    ["restore", "evil.tar.gz", "--force"],
    isolatedEnv(state.path),
    state.path,
  );
  assertEquals(evil.code, 1);
  assertMatch(
    evil.stderr,
    /^Error: Cannot restore the backup: invalid path in backup "memory\/\.\.\/\.\.\/evil" \(".." component\); .*\n$/,
  );
  assertEquals(await treeDigest(state.path), before);
});

Deno.test("cara restore --help explains validation and --force with examples", async () => {
  using state = tempDir();
  const result = await runCaraInProcess(
    ["restore", "--help"],
    isolatedEnv(state.path),
  );
  assertEquals(result.code, 0);
  for (
    const text of [
      "<path>",
      "--force",
      "validated before anything is written",
      "Examples:",
    ]
  ) {
    assert(result.stdout.includes(text), text);
  }
});

Deno.test("cara restore --force works as a child process", async () => {
  using state = tempDir();
  using out = tempDir();
  seedState(state.path, "original");
  await backupOf(state.path, out.path);
  retitle(state.path, "changed");
  const result = await runCara(["restore", "b.tar.gz", "--force"], {
    env: isolatedEnv(state.path),
    cwd: out.path,
  });
  assertEquals(result.code, 0, result.stderr);
  assertEquals(sessionTitle(state.path), "original");
});
