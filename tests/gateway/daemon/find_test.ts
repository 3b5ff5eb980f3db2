import { join } from "node:path";
import { acquireDaemonLock } from "../../../gateway/daemon/lock.ts";
import {
  assertNoDaemonRunning,
  findRunningDaemon,
} from "../../../gateway/daemon/find.ts";
import { CaraError } from "../../../gateway/errors.ts";
import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  tempDir,
} from "../../_helpers.ts";
import { spawnLockHolder, spawnSleeper } from "./_helpers.ts";

function writePid(dir: string, text: string): Promise<void> {
  return Deno.writeTextFile(join(dir, "daemon.pid"), text);
}

Deno.test("findRunningDaemon() returns null when the state dir has no lock and no pid file", async () => {
  using dir = tempDir();
  assertEquals(await findRunningDaemon(dir.path), null);
  assertEquals(await findRunningDaemon(join(dir.path, "missing")), null);
});

Deno.test("findRunningDaemon() returns the child's pid while a child process holds the lock", async () => {
  using dir = tempDir();
  await using child = await spawnLockHolder(dir.path);
  assertEquals(await findRunningDaemon(dir.path), { pid: child.pid });
});

Deno.test("findRunningDaemon() reports a held lock even when the pid file is gone", async () => {
  using dir = tempDir();
  await using _child = await spawnLockHolder(dir.path);
  await Deno.remove(join(dir.path, "daemon.pid"));
  assertEquals(await findRunningDaemon(dir.path), { pid: null });
});

Deno.test("findRunningDaemon() returns null once the lock holder was killed and its pid file is stale", async () => {
  using dir = tempDir();
  const child = await spawnLockHolder(dir.path);
  await child[Symbol.asyncDispose]();
  assert(
    (await Deno.readTextFile(join(dir.path, "daemon.pid"))).startsWith(
      `${child.pid}\n`,
    ),
  );
  assertEquals(await findRunningDaemon(dir.path), null);
});

Deno.test("findRunningDaemon() returns a live pid from the pid file when no lock is held", async () => {
  using dir = tempDir();
  await using sleeper = spawnSleeper();
  await writePid(
    dir.path,
    `${sleeper.pid}\nstarted=2025-01-01T00:00:00.000Z\n`,
  );
  assertEquals(await findRunningDaemon(dir.path), { pid: sleeper.pid });
});

Deno.test("findRunningDaemon() ignores a pid file naming this very process", async () => {
  using dir = tempDir();
  await writePid(dir.path, `${Deno.pid}\n`);
  assertEquals(await findRunningDaemon(dir.path), null);
});

Deno.test("findRunningDaemon() ignores unparseable, pid 1 and oversized pid files", async () => {
  using dir = tempDir();
  await using sleeper = spawnSleeper();
  for (const text of ["", "garbage\n", "-5\n", "1\n", `${sleeper.pid}x\n`]) {
    await writePid(dir.path, text);
    assertEquals(await findRunningDaemon(dir.path), null, JSON.stringify(text));
  }
  await writePid(dir.path, `${sleeper.pid}\n${"#".repeat(4096)}`);
  assertEquals(await findRunningDaemon(dir.path), null);
  await writePid(dir.path, `${sleeper.pid}\n`);
  assertEquals(await findRunningDaemon(dir.path), { pid: sleeper.pid });
});

Deno.test("findRunningDaemon() does not follow a symlinked pid file", async () => {
  using dir = tempDir();
  await using sleeper = spawnSleeper();
  await Deno.writeTextFile(join(dir.path, "real.pid"), `${sleeper.pid}\n`);
  await Deno.symlink(join(dir.path, "real.pid"), join(dir.path, "daemon.pid"));
  assertEquals(await findRunningDaemon(dir.path), null);
});

Deno.test("assertNoDaemonRunning() names the action and pid when a daemon runs", async () => {
  using dir = tempDir();
  await assertNoDaemonRunning(dir.path, "create a backup");
  await using lock = await acquireDaemonLock(dir.path);
  await assertRejects(
    assertNoDaemonRunning(dir.path, "create a backup"),
    (error: unknown) => {
      assert(error instanceof CaraError);
      assertEquals(error.code, "daemon_running");
      assertMatch(
        error.message,
        new RegExp(
          `^Cannot create a backup while the cara daemon is running \\(pid ${lock.pid}\\): stop it and retry$`,
        ),
      );
      return true;
    },
  );
});
