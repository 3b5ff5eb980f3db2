import { join } from "node:path";
import { acquireDaemonLock } from "../../../gateway/daemon/lock.ts";
import { CaraError } from "../../../gateway/errors.ts";
import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  tempDir,
} from "../../_helpers.ts";
import { spawnLockHolder } from "./_helpers.ts";

Deno.test("acquireDaemonLock() writes daemon.pid 0600 with pid and start time", async () => {
  using dir = tempDir();
  const startedAt = new Date("2025-03-04T05:06:07.000Z");
  const lock = await acquireDaemonLock(dir.path, { now: () => startedAt });
  try {
    const text = await Deno.readTextFile(join(dir.path, "daemon.pid"));
    assertEquals(text, `${Deno.pid}\nstarted=2025-03-04T05:06:07.000Z\n`);
    if (Deno.build.os !== "windows") {
      assertEquals((await Deno.stat(lock.pidPath)).mode! & 0o777, 0o600);
      assertEquals((await Deno.stat(lock.lockPath)).mode! & 0o777, 0o600);
    }
  } finally {
    await lock.release();
  }
});

Deno.test("acquireDaemonLock() release() removes the pid file and frees the lock", async () => {
  using dir = tempDir();
  const first = await acquireDaemonLock(dir.path);
  await first.release();
  await first.release();
  await assertRejects(
    Deno.stat(join(dir.path, "daemon.pid")),
    Deno.errors.NotFound,
  );
  await using second = await acquireDaemonLock(dir.path);
  assertEquals(second.pid, Deno.pid);
});

Deno.test("acquireDaemonLock() refuses when this process already holds the lock", async () => {
  using dir = tempDir();
  await using _held = await acquireDaemonLock(dir.path);
  await assertRejects(acquireDaemonLock(dir.path), (error: unknown) => {
    assert(error instanceof CaraError);
    assertEquals(error.code, "daemon_running");
    return true;
  });
});

Deno.test("acquireDaemonLock() refuses with the holder's pid when a child process holds the lock", async () => {
  using dir = tempDir();
  await using child = await spawnLockHolder(dir.path);
  await assertRejects(acquireDaemonLock(dir.path), (error: unknown) => {
    assert(error instanceof CaraError);
    assertEquals(error.code, "daemon_running");
    assertMatch(
      error.message,
      new RegExp(`another one \\(pid ${child.pid}\\)`),
    );
    return true;
  });
});

Deno.test("acquireDaemonLock() succeeds after the holder was killed, replacing its stale pid file", async () => {
  using dir = tempDir();
  const child = await spawnLockHolder(dir.path);
  const childPid = child.pid;
  await child[Symbol.asyncDispose]();
  const stale = await Deno.readTextFile(join(dir.path, "daemon.pid"));
  assert(stale.startsWith(`${childPid}\n`));
  await using lock = await acquireDaemonLock(dir.path);
  const text = await Deno.readTextFile(lock.pidPath);
  assert(text.startsWith(`${Deno.pid}\n`));
});

Deno.test("acquireDaemonLock() refuses a lock path that is a symlink", async () => {
  using dir = tempDir();
  await Deno.writeTextFile(join(dir.path, "elsewhere"), "");
  await Deno.symlink(
    join(dir.path, "elsewhere"),
    join(dir.path, "daemon.lock"),
  );
  await assertRejects(acquireDaemonLock(dir.path), (error: unknown) => {
    assert(error instanceof CaraError);
    assertEquals(error.code, "daemon_lock_unsafe");
    return true;
  });
});
