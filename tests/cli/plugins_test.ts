/**
 * `cara plugins status|bins|install|update` against a real gateway with the
 * plugin runtime wired in (tests/plugins/wiring/_gateway.ts), including the
 * `--file` staging rules: leftovers fail closed, a failed RPC restores the
 * previous artifact, a symlinked destination is refused.
 */
import { join } from "node:path";
import { buildServiceComponent } from "../plugins/fixtures/wat_service.ts";
import { startPluginsGateway } from "../plugins/wiring/_gateway.ts";
import {
  assert,
  assertEquals,
  assertMatch,
  isolatedEnv,
  runCaraInProcess,
  tempDir,
} from "../_helpers.ts";
import { publisherKey } from "../plugins/fixtures/publisher_key.ts";

const TOKEN = "plugins-cli-token-0123456789";

Deno.test("cara plugins install --file, bins, status and update against a running gateway", async () => {
  using dir = tempDir();
  const load = join(dir.path, "load");
  await Deno.mkdir(load);
  await Deno.writeFile(
    join(load, "svc-crash.wasm"),
    await buildServiceComponent("crash"),
  );
  const env = isolatedEnv(dir.path, {
    CARAPACE_CREDENTIAL_STORE: "none",
    CARAPACE_GATEWAY_TOKEN: TOKEN,
  });
  await Deno.writeTextFile(
    join(dir.path, "carapace.json"),
    JSON.stringify({
      gateway: { auth: { mode: "token", token: TOKEN } },
      plugins: { load: { paths: [load] } },
    }),
  );
  await using gateway = await startPluginsGateway(env);
  const port = ["-p", String(gateway.port)];
  const cara = (...args: string[]) => runCaraInProcess(args, env, dir.path);

  const usage = await cara("plugins", "install", "svc", ...port);
  assertEquals(usage.code, 2, usage.stderr);
  assertMatch(usage.stderr, /exactly one of --url and --file/);
  const both = await cara(
    "plugins",
    "install",
    "svc",
    "--url",
    "https://x.test/a.wasm",
    "--file",
    "a.wasm",
    ...port,
  );
  assertEquals(both.code, 2, both.stderr);

  const bytes = await buildServiceComponent("ok");
  const artifact = join(dir.path, "svc.wasm");
  await Deno.writeFile(artifact, bytes);
  const key = await publisherKey();
  const installed = await cara(
    "plugins",
    "install",
    "svc",
    "--file",
    "svc.wasm",
    "--publisher-key",
    key.publicKey,
    "--signature",
    await key.sign(bytes),
    ...port,
  );
  assertEquals(installed.code, 0, installed.stderr);
  assertMatch(
    installed.stdout,
    /^Plugin install requested\nName: svc\nVersion: -\nActivation: restart-required \(/,
  );
  const managed = join(dir.path, "plugins");
  assertEquals(await Deno.readFile(join(managed, "svc.wasm")), bytes);
  const leftovers = [...Deno.readDirSync(managed)].map((e) => e.name)
    .filter((n) => n.includes(".cli-"));
  assertEquals(leftovers, []);
  const config = JSON.parse(
    await Deno.readTextFile(join(dir.path, "carapace.json")),
  );
  assertEquals(config.plugins.entries.svc.enabled, true);

  const bins = await cara("plugins", "bins", ...port);
  assertEquals([bins.code, bins.stdout], [0, "svc.wasm\n"]);
  const binsJson = await cara("plugins", "bins", "--json", ...port);
  assertEquals(JSON.parse(binsJson.stdout), { bins: [{ name: "svc.wasm" }] });

  const status = await cara("plugins", "status", "--json", ...port);
  assertEquals(status.code, 0, status.stderr);
  const report = JSON.parse(status.stdout);
  assertEquals(report.restartRequiredForChanges, true);
  assertEquals(report.plugins.map((p: { name: string }) => p.name), [
    "svc-crash",
  ]);
  const strict = await cara("plugins", "status", "--strict", ...port);
  assertEquals(strict.code, 1);
  assertMatch(
    strict.stdout,
    /svc-crash \[config\] failed \(enabled: true, pluginId: svc-crash\)\n {2}reason: /,
  );
  const none = await cara(
    "plugins",
    "status",
    "--source",
    "managed",
    ...port,
  );
  assertMatch(none.stdout, /No plugins match\./);

  // An update the gateway refuses (unsigned) puts the installed artifact back.
  const other = await buildServiceComponent("log");
  await Deno.writeFile(artifact, other);
  const refused = await cara(
    "plugins",
    "update",
    "svc",
    "--file",
    "svc.wasm",
    ...port,
  );
  assertEquals(refused.code, 1);
  assertMatch(refused.stderr, /plugins\.update failed|signature/);
  assertEquals(await Deno.readFile(join(managed, "svc.wasm")), bytes);
  assertEquals(
    [...Deno.readDirSync(managed)].some((e) => e.name.includes(".cli-")),
    false,
  );

  // Leftovers of an interrupted install fail closed and are left alone.
  await Deno.writeTextFile(join(managed, "svc.wasm.cli-backup"), "old");
  const blocked = await cara(
    "plugins",
    "update",
    "svc",
    "--file",
    "svc.wasm",
    ...port,
  );
  assertEquals(blocked.code, 1);
  assertMatch(blocked.stderr, /interrupted install/);
  assertEquals(
    await Deno.readTextFile(join(managed, "svc.wasm.cli-backup")),
    "old",
  );
  await Deno.remove(join(managed, "svc.wasm.cli-backup"));

  await Deno.symlink(artifact, join(managed, "link.wasm"));
  const symlinked = await cara(
    "plugins",
    "install",
    "link",
    "--file",
    "svc.wasm",
    ...port,
  );
  assertEquals(symlinked.code, 1);
  assertMatch(symlinked.stderr, /not a regular file/);
  assert((await Deno.lstat(join(managed, "link.wasm"))).isSymlink);
});
