/**
 * The release bundle (.github/scripts/bundle.ts) is what release.yml
 * compiles, so it must do everything the sources do: these tests build one
 * and run it the way the bench and the compiled binary do — `cara version`,
 * `cara start` until /health, a WebSocket client (`cara logs`), plugin
 * install and transpile, the Worker sandbox (a `plugins.load.paths` plugin)
 * and the child-process sandbox (a managed plugin, spawned from the bundle).
 *
 * @module
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  buildBundle,
  bundleInputsHash,
  ensureBundle,
} from "../../.github/scripts/bundle.ts";
import { entryModuleUrl } from "../../cli/self_command.ts";
import {
  assert,
  assertEquals,
  assertMatch,
  isolatedEnv,
  runCara,
  tempDir,
} from "../_helpers.ts";
import { spawnGateway } from "../cli/_gateway_process.ts";
import { buildServiceComponent } from "../plugins/fixtures/wat_service.ts";
import { buildWiringComponent } from "../plugins/wiring/_fixture.ts";
import { publisherKey } from "../plugins/fixtures/publisher_key.ts";

const ROOT = join(import.meta.dirname ?? ".", "..", "..");
const TOKEN = "bundle-test-token-0123456789abcdef";
const HOOKS_TOKEN = "bundle-hooks-token-0123456789abcdef";

interface StatusRow {
  name: string;
  source: string;
  state: string;
  reason: string | null;
}

Deno.test("entryModuleUrl() finds the entries next to the sources when run from them", () => {
  assertEquals(
    entryModuleUrl("main.ts").href,
    pathToFileURL(join(ROOT, "main.ts")).href,
  );
  assertEquals(
    entryModuleUrl("plugins/sandbox/worker_entry.ts").href,
    pathToFileURL(join(ROOT, "plugins", "sandbox", "worker_entry.ts")).href,
  );
});

Deno.test("ensureBundle() reuses a bundle built from the same inputs", async () => {
  using out = tempDir("cara-bundle-");
  const first = await buildBundle({ outDir: join(out.path, "bundle") });
  assertEquals(first.built, true);
  assertEquals(first.inputsHash, await bundleInputsHash());
  const again = await ensureBundle({ outDir: join(out.path, "bundle") });
  assertEquals([again.built, again.entry], [false, first.entry]);
  await Deno.writeTextFile(
    join(out.path, "bundle", "build.json"),
    JSON.stringify({ inputsHash: "stale", deno: Deno.version.deno }),
  );
  const rebuilt = await ensureBundle({ outDir: join(out.path, "bundle") });
  assertEquals(rebuilt.built, true);
  const files = [...Deno.readDirSync(out.path)].map((entry) => entry.name);
  assertEquals(files, ["bundle"], "no temp dir is left behind");
  await Deno.stat(join(out.path, "bundle", "plugins/sandbox/worker_entry.js"));
});

Deno.test("the bundle runs version, start, a WS client and both plugin sandboxes", async () => {
  using out = tempDir("cara-bundle-");
  const { entry } = await buildBundle({ outDir: join(out.path, "bundle") });
  const mainModule = pathToFileURL(entry).href;
  // The bundle loads jco-transpile (external) through deno.json, like `deno run`.
  const cara = (args: string[], env: Record<string, string>) =>
    runCara(args, { env, cwd: ROOT, mainModule });

  using dir = tempDir();
  const env = isolatedEnv(dir.path, {
    CARAPACE_GATEWAY_TOKEN: TOKEN,
    CARAPACE_CREDENTIAL_STORE: "none",
  });
  const version = await cara(["version"], env);
  assertEquals(version.code, 0, version.stderr);
  assertMatch(version.stdout, /^cara \d+\.\d+\.\d+/);

  const load = join(dir.path, "load");
  await Deno.mkdir(load);
  await Deno.writeFile(join(load, "wiring.wasm"), await buildWiringComponent());
  await Deno.writeTextFile(
    join(dir.path, "carapace.json"),
    JSON.stringify({
      gateway: {
        auth: { mode: "token", token: TOKEN },
        hooks: { token: HOOKS_TOKEN },
      },
      plugins: { load: { paths: [load] } },
    }),
  );
  const start = ["start", "--port", "0"];
  {
    await using gateway = await spawnGateway(start, env, { mainModule });
    const health = await fetch(`${gateway.url}/health`);
    assertEquals(health.status, 200);
    await health.body?.cancel();

    // A WebSocket client of the bundle: connect, hello-ok, logs.tail.
    const logs = await cara(
      ["logs", "-n", "50", "-p", String(gateway.port)],
      env,
    );
    assertEquals(logs.code, 0, logs.stderr);
    assertMatch(logs.stdout, /Gateway listening/);

    // A config-path plugin runs in the Worker sandbox of the bundle.
    const echoed = await fetch(`${gateway.url}/plugins/wiring/echo?x=1`, {
      method: "POST",
      headers: { authorization: `Bearer ${HOOKS_TOKEN}`, "x-probe": "p" },
      body: "hi",
    });
    assertEquals(echoed.status, 201, gateway.stderr());
    assertEquals((await echoed.json()).body, "hi");

    // Install through the bundle's CLI and gateway (transpiles with jco).
    const bytes = await buildServiceComponent("ok");
    await Deno.writeFile(join(dir.path, "svc.wasm"), bytes);
    const key = await publisherKey();
    const installed = await cara([
      "plugins",
      "install",
      "svc",
      "--file",
      join(dir.path, "svc.wasm"),
      "--publisher-key",
      key.publicKey,
      "--signature",
      await key.sign(bytes),
      "-p",
      String(gateway.port),
    ], env);
    assertEquals(installed.code, 0, installed.stderr);
    assertEquals((await gateway.stop()).code, 0, gateway.stderr());
  }

  // After a restart the managed plugin runs in a child process of the bundle.
  await using gateway = await spawnGateway(start, env, { mainModule });
  const port = String(gateway.port);
  let rows: StatusRow[] = [];
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const status = await cara(["plugins", "status", "--json", "-p", port], env);
    assertEquals(status.code, 0, status.stderr);
    rows = (JSON.parse(status.stdout) as { plugins: StatusRow[] }).plugins;
    if (rows.every((row) => row.state !== "disabled")) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const states = rows.map((row) => [row.name, row.source, row.state]);
  assertEquals(
    states.sort(),
    [["svc", "managed", "active"], ["wiring", "config", "active"]],
    JSON.stringify(rows),
  );
  const again = await fetch(`${gateway.url}/plugins/wiring/echo`, {
    headers: { "x-carapace-token": HOOKS_TOKEN },
  });
  assertEquals(again.status, 201);
  await again.body?.cancel();
  assert(!gateway.stderr().includes("internal error"), gateway.stderr());
});
