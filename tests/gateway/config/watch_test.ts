import { join } from "node:path";
import {
  assertEquals,
  assertMatch,
  isolatedEnv,
  tempDir,
} from "../../_helpers.ts";
import { ConfigError } from "../../../gateway/config/errors.ts";
import type { LoadedConfig } from "../../../gateway/config/load.ts";
import { watchConfig, watchTargets } from "../../../gateway/config/watch.ts";
import { writeFiles } from "./_helpers.ts";

/** Collects watcher callbacks and lets a test wait for the next one. */
function recorder() {
  const events: (LoadedConfig | ConfigError)[] = [];
  let wake: (() => void) | null = null;
  const push = (event: LoadedConfig | ConfigError) => {
    events.push(event);
    wake?.();
  };
  return {
    events,
    onReload: (loaded: LoadedConfig) => push(loaded),
    onError: (error: unknown) => push(error as ConfigError),
    async next(count: number): Promise<void> {
      const deadline = Date.now() + 10_000;
      while (events.length < count) {
        if (Date.now() > deadline) {
          throw new Error(`timed out waiting for event ${count}`);
        }
        let timer: ReturnType<typeof setTimeout> | undefined;
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, 100);
        });
        clearTimeout(timer);
      }
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

/** Watches `carapace.json5` in `dir` (debounce 50 ms) until disposed. */
function watching(dir: string) {
  const path = join(dir, "carapace.json5");
  const stop = new AbortController();
  const seen = recorder();
  const done = watchConfig({
    path,
    env: isolatedEnv(dir),
    debounceMs: 50,
    signal: stop.signal,
    ...seen,
  });
  return {
    path,
    seen,
    async [Symbol.asyncDispose]() {
      stop.abort();
      await done;
    },
  };
}

Deno.test("watchConfig() reloads after an edit, reports a bad edit once and reloads again after a fix", async () => {
  using dir = tempDir();
  writeFiles(dir.path, { "carapace.json5": `{ gateway: { port: 1000 } }` });
  await using watch = watching(dir.path);
  const { path, seen } = watch;
  await settle();
  Deno.writeTextFileSync(path, `{ gateway: { port: 2000 } }`);
  await seen.next(1);
  assertEquals((seen.events[0] as LoadedConfig).config.gateway.port, 2000);

  Deno.writeTextFileSync(path, `{ gateway: { port: "nope" } }`);
  await seen.next(2);
  const error = seen.events[1];
  assertEquals(error instanceof ConfigError && error.kind, "validation");
  // Touching the file without changing it is not a new bad edit.
  Deno.writeTextFileSync(path, `{ gateway: { port: "nope" } }`);
  await settle();
  assertEquals(seen.events.length, 2);

  // Editors save by writing a temp file and renaming it over the config.
  writeFiles(dir.path, { "tmp.swp": `{ gateway: { port: 3000 } }` });
  Deno.renameSync(join(dir.path, "tmp.swp"), path);
  await seen.next(3);
  assertEquals((seen.events[2] as LoadedConfig).config.gateway.port, 3000);
});

Deno.test("watchConfig() reloads when an included file changes", async () => {
  using dir = tempDir();
  const path = join(dir.path, "carapace.json5");
  writeFiles(dir.path, {
    "carapace.json5": `{ $include: "inc/gw.json5" }`,
    "inc/gw.json5": `{ gateway: { port: 1 } }`,
  });
  const stop = new AbortController();
  const seen = recorder();
  const files = [path, join(dir.path, "inc", "gw.json5")];
  const done = watchConfig({
    path,
    env: isolatedEnv(dir.path),
    debounceMs: 50,
    signal: stop.signal,
    files,
    ...seen,
  });
  try {
    await settle();
    Deno.writeTextFileSync(files[1]!, `{ gateway: { port: 2 } }`);
    await seen.next(1);
    assertEquals((seen.events[0] as LoadedConfig).config.gateway.port, 2);
  } finally {
    stop.abort();
    await done;
  }
});

Deno.test("watchConfig() fails with a read error when the config directory does not exist", async () => {
  using dir = tempDir();
  const stop = new AbortController();
  try {
    await watchConfig({
      path: join(dir.path, "missing", "carapace.json"),
      env: {},
      signal: stop.signal,
      onReload: () => {},
      onError: () => {},
    });
    throw new Error("expected a failure");
  } catch (error) {
    assertEquals(error instanceof ConfigError && error.kind, "read");
    assertMatch((error as Error).message, /^Cannot watch config "/);
  }
});

Deno.test("watchConfig() returns at once when the signal is already aborted", async () => {
  using dir = tempDir();
  await watchConfig({
    path: join(dir.path, "carapace.json"),
    env: {},
    signal: AbortSignal.abort(),
    onReload: () => {},
    onError: () => {},
  });
});

Deno.test("watchConfig() ends when aborted while it is still setting up (a stop right after start)", async () => {
  using dir = tempDir();
  const path = join(dir.path, "carapace.json5");
  await Deno.writeTextFile(path, "{}");
  for (let i = 0; i < 20; i++) {
    const stop = new AbortController();
    const watching = watchConfig({
      path,
      env: isolatedEnv(dir.path),
      signal: stop.signal,
      onReload: () => {},
      onError: () => {},
    });
    // Abort at varying points of its set-up (file reads, realpath, watcher).
    if (i % 2 === 0) {
      for (let turn = 0; turn < i * 3; turn++) await Promise.resolve();
    } else await new Promise((resolve) => setTimeout(resolve, i / 4));
    stop.abort();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ended = await Promise.race([
      watching.then(() => true),
      new Promise<false>((resolve) =>
        timer = setTimeout(() => resolve(false), 2000)
      ),
    ]);
    clearTimeout(timer);
    assertEquals(ended, true, `still watching after an abort at turn ${i}`);
  }
});

Deno.test("watchConfig() keeps reloading across repeated rename-over saves and in-place writes", async () => {
  using dir = tempDir();
  writeFiles(dir.path, { "carapace.json5": `{ gateway: { port: 1000 } }` });
  await using watch = watching(dir.path);
  const { path, seen } = watch;
  await settle();
  for (const port of [1001, 1002, 1003]) {
    writeFiles(dir.path, { "save.tmp": `{ gateway: { port: ${port} } }` });
    Deno.renameSync(join(dir.path, "save.tmp"), path);
    await seen.next(port - 1000);
    assertEquals(
      (seen.events[port - 1001] as LoadedConfig).config.gateway.port,
      port,
    );
  }
  Deno.writeTextFileSync(path, `{ gateway: { port: 1004 } }`);
  await seen.next(4);
  assertEquals((seen.events[3] as LoadedConfig).config.gateway.port, 1004);
});

Deno.test("watchConfig() loads a config file created after it started, then follows edits to it", async () => {
  using dir = tempDir();
  await using watch = watching(dir.path);
  const { path, seen } = watch;
  await settle();
  Deno.writeTextFileSync(path, `{ gateway: { port: 4000 } }`);
  await seen.next(1);
  assertEquals((seen.events[0] as LoadedConfig).config.gateway.port, 4000);
  await settle();
  Deno.writeTextFileSync(path, `{ gateway: { port: 4001 } }`);
  await seen.next(2);
  assertEquals((seen.events[1] as LoadedConfig).config.gateway.port, 4001);
});

Deno.test("watchTargets() watches an existing config file itself, so writes to its neighbours (the state database) are not watched; a missing one through its directory", async () => {
  using dir = tempDir();
  const path = join(dir.path, "carapace.json5");
  const include = join(dir.path, "inc", "later.json5");
  writeFiles(dir.path, { "carapace.json5": "{}", "inc/other.json5": "{}" });
  const targets = await watchTargets([path, include]);
  assertEquals(targets.paths, [path, join(dir.path, "inc")]);
  assertEquals(targets.names.has(path) && targets.names.has(include), true);
  if (Deno.build.os !== "windows") {
    const link = join(dir.path, "link.json5");
    Deno.symlinkSync(path, link);
    assertEquals((await watchTargets([link])).paths, [link, dir.path]);
  }
});

Deno.test({
  name:
    "watchConfig() follows a config symlink that is pointed at another file",
  ignore: Deno.build.os === "windows",
  async fn() {
    using dir = tempDir();
    writeFiles(dir.path, {
      "a.json5": `{ gateway: { port: 5001 } }`,
      "b.json5": `{ gateway: { port: 5002 } }`,
    });
    Deno.symlinkSync(
      join(dir.path, "a.json5"),
      join(dir.path, "carapace.json5"),
    );
    await using watch = watching(dir.path);
    await settle();
    // Swap the link the way dotfile managers do: a new link renamed over it.
    Deno.symlinkSync(join(dir.path, "b.json5"), join(dir.path, "next.lnk"));
    Deno.renameSync(join(dir.path, "next.lnk"), watch.path);
    await watch.seen.next(1);
    assertEquals(
      (watch.seen.events[0] as LoadedConfig).config.gateway.port,
      5002,
    );
    Deno.writeTextFileSync(
      join(dir.path, "b.json5"),
      `{ gateway: { port: 5003 } }`,
    );
    await watch.seen.next(2);
    assertEquals(
      (watch.seen.events[1] as LoadedConfig).config.gateway.port,
      5003,
    );
  },
});
