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
import { seedState } from "../gateway/backup/_helpers.ts";
import { spawnLockHolder } from "../gateway/daemon/_helpers.ts";

Deno.test("cara backup writes the default archive in the cwd and prints path, size and sections", async () => {
  using state = tempDir();
  seedState(state.path);
  const result = await runCaraInProcess(
    ["backup"],
    isolatedEnv(state.path),
    state.path,
  );
  assertEquals(result.code, 0, result.stderr);
  assertMatch(
    result.stdout,
    /^Path: +\/.*\/carapace-backup-\d{8}T\d{6}Z\.tar\.gz\n/,
  );
  assertMatch(result.stdout, /\nSize: +[\d.]+ (B|KiB|MiB) \(\d+ bytes\)\n/);
  assertMatch(result.stdout, /\nIncluded: state, config, memory\n$/);
  const path = result.stdout.match(/^Path: +(.*)$/m)?.[1] ?? "";
  assert((await Deno.stat(path)).isFile);
});

Deno.test("cara backup --json reports path, size and sections; an empty state says (empty)", async () => {
  using state = tempDir();
  const json = await runCaraInProcess(
    ["backup", "-o", "a.tar.gz", "--json"],
    isolatedEnv(state.path),
    state.path,
  );
  assertEquals(json.code, 0, json.stderr);
  const report = JSON.parse(json.stdout);
  assertEquals(report.path, join(state.path, "a.tar.gz"));
  assertEquals(report.sections, []);
  assertEquals(report.size, (await Deno.stat(report.path)).size);
  const human = await runCaraInProcess(
    ["backup", "-o", "b.tar.gz"],
    isolatedEnv(state.path),
    state.path,
  );
  assertMatch(human.stdout, /Included: \(empty\)/);
});

Deno.test("cara backup refuses an existing output without --force with one clear line", async () => {
  using state = tempDir();
  await Deno.writeTextFile(join(state.path, "a.tar.gz"), "old");
  const result = await runCaraInProcess(
    ["backup", "-o", "a.tar.gz"],
    isolatedEnv(state.path),
    state.path,
  );
  assertEquals(result.code, 1);
  assertEquals(
    result.stderr,
    `Error: Cannot write the backup to "${
      join(state.path, "a.tar.gz")
    }": it already exists; pass --force to replace it\n`,
  );
  const forced = await runCaraInProcess(
    ["backup", "-o", "a.tar.gz", "--force"],
    isolatedEnv(state.path),
    state.path,
  );
  assertEquals(forced.code, 0, forced.stderr);
});

Deno.test("cara backup refuses while a daemon (a child process) holds the lock", async () => {
  using state = tempDir();
  seedState(state.path);
  await using child = await spawnLockHolder(state.path);
  const result = await runCaraInProcess(
    ["backup"],
    isolatedEnv(state.path),
    state.path,
  );
  assertEquals(result.code, 1);
  assertEquals(
    result.stderr,
    `Error: Cannot create a backup while the cara daemon is running (pid ${child.pid}): stop it and retry\n`,
  );
});

Deno.test("cara backup --help lists the flags and examples", async () => {
  using state = tempDir();
  const result = await runCaraInProcess(
    ["backup", "--help"],
    isolatedEnv(state.path),
  );
  assertEquals(result.code, 0);
  for (
    const text of [
      "-o, --output <path>",
      "--force",
      "--json",
      "Examples:",
      "cara backup -o",
    ]
  ) {
    assert(result.stdout.includes(text), text);
  }
});

Deno.test("cara backup works as a child process (the way users run it)", async () => {
  using state = tempDir();
  seedState(state.path);
  const result = await runCara(["backup", "-o", "child.tar.gz"], {
    env: isolatedEnv(state.path),
    cwd: state.path,
  });
  assertEquals(result.code, 0, result.stderr);
  assertMatch(result.stdout, /Included: state, config, memory/);
  assert((await Deno.stat(join(state.path, "child.tar.gz"))).size > 0);
});
