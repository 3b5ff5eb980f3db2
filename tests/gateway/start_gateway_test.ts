import { startGateway } from "../../gateway/start_gateway.ts";
import { describeReload } from "../../gateway/start/reload_report.ts";
import { validateConfig } from "../../gateway/config/mod.ts";
import { assert, assertEquals, isolatedEnv, tempDir } from "../_helpers.ts";

function mapTarget(initial: Record<string, string> = {}) {
  const values = new Map(Object.entries(initial));
  return {
    values,
    get: (name: string) => values.get(name),
    set: (name: string, value: string) => void values.set(name, value),
    delete: (name: string) => void values.delete(name),
  };
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

Deno.test("startGateway() hot-reloads a good edit, keeps the last good config on a bad one, then reloads again", async () => {
  using dir = tempDir();
  const configPath = `${dir.path}/carapace.json5`;
  await Deno.writeTextFile(
    configPath,
    `{ gateway: { reload: { debounceMs: 50 } }, agents: { defaults: { maxConcurrent: 2 } } }`,
  );
  await using gateway = await startGateway({
    env: isolatedEnv(dir.path),
    port: 0,
  });
  assertEquals(gateway.config().config.agents.defaults.maxConcurrent, 2);

  await Deno.writeTextFile(
    configPath,
    `{ gateway: { reload: { debounceMs: 50 } }, agents: { defaults: { maxConcurrent: 3 } } }`,
  );
  await until(() =>
    gateway.config().config.agents.defaults.maxConcurrent === 3
  );

  await Deno.writeTextFile(configPath, `{ gateway: { port: "not a port" } }`);
  await until(() =>
    gateway.logger.tail({ minLevel: "error" }).entries.length === 1
  );
  const [rejected] = gateway.logger.tail({ minLevel: "error" }).entries;
  assert(
    rejected!.message.startsWith(
      "Config reload rejected, keeping the last good config: ",
    ),
  );
  assert(rejected!.message.includes("gateway.port"));
  assertEquals(gateway.config().config.agents.defaults.maxConcurrent, 3);
  assertEquals((await fetch(`${gateway.url}/health`)).status, 200);

  await Deno.writeTextFile(
    configPath,
    `{ gateway: { reload: { debounceMs: 50 } }, agents: { defaults: { maxConcurrent: 5 } } }`,
  );
  await until(() =>
    gateway.config().config.agents.defaults.maxConcurrent === 5
  );
  const audited = gateway.state.audit.list({
    limit: 10,
    event: "config_changed",
  });
  assertEquals(audited.length, 2);
});

Deno.test("startGateway() reload() (SIGHUP) works with reload mode off and injects the env section reversibly", async () => {
  using dir = tempDir();
  const configPath = `${dir.path}/carapace.json5`;
  await Deno.writeTextFile(
    configPath,
    `{ gateway: { reload: { mode: "off" } }, env: { CARA_DEMO: "one" } }`,
  );
  const target = mapTarget({ CARA_DEMO: "before" });
  const gateway = await startGateway({
    env: isolatedEnv(dir.path),
    envTarget: target,
    port: 0,
  });
  assertEquals(target.values.get("CARA_DEMO"), "one");
  await Deno.writeTextFile(
    configPath,
    `{ gateway: { reload: { mode: "off" } }, env: { CARA_DEMO: "two" } }`,
  );
  assertEquals(await gateway.reload(), true);
  assertEquals(target.values.get("CARA_DEMO"), "two");
  await Deno.writeTextFile(
    configPath,
    `{ gateway: { reload: { mode: "off" } }, env: { CARA_DEMO: "\${NOPE_MISSING}" } }`,
  );
  assertEquals(await gateway.reload(), false);
  assertEquals(target.values.get("CARA_DEMO"), "two");
  await gateway.shutdown();
  assertEquals(target.values.get("CARA_DEMO"), "before");
});

Deno.test("startGateway() releases everything when the listener cannot start", async () => {
  using dir = tempDir();
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let failed = false;
  try {
    await startGateway({
      env: isolatedEnv(dir.path),
      port: listener.addr.port,
    });
  } catch (error) {
    failed = true;
    assert(error instanceof Error && /already in use/.test(error.message));
  }
  assert(failed);
  // The daemon lock was released: a second start on a free port works.
  await using gateway = await startGateway({
    env: isolatedEnv(dir.path),
    port: 0,
  });
  assertEquals((await fetch(`${gateway.url}/health`)).status, 200);
});

Deno.test("startGateway() answers /health/ready and /metrics", async () => {
  using dir = tempDir();
  await using gateway = await startGateway({
    env: isolatedEnv(dir.path),
    port: 0,
  });
  const ready = await fetch(`${gateway.url}/health/ready`);
  assertEquals(ready.status, 200);
  await ready.body?.cancel();
  const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
  assert(metrics.includes("carapace_build_info"));
  assert(metrics.includes("carapace_http_requests_total"));
});

Deno.test("describeReload() separates changes that need a restart", () => {
  const before = validateConfig({}, { file: "x" }).config;
  const after = validateConfig({
    gateway: { port: 1234 },
    agents: { defaults: { maxConcurrent: 9 } },
  }, { file: "x" }).config;
  const report = describeReload(before, after);
  assertEquals(report.changed, ["agents", "gateway.port"]);
  assertEquals(report.restartRequired, ["gateway.port"]);
});

Deno.test("startGateway() does not log or audit a reload that changed nothing", async () => {
  using dir = tempDir();
  const configPath = `${dir.path}/carapace.json5`;
  await Deno.writeTextFile(
    configPath,
    `{ gateway: { reload: { mode: "off" } } }`,
  );
  await using gateway = await startGateway({
    env: isolatedEnv(dir.path),
    port: 0,
  });
  await Deno.writeTextFile(
    configPath,
    `{ gateway: { reload: { mode: "off" } }, /* same */ }`,
  );
  assertEquals(await gateway.reload(), true);
  assertEquals(
    gateway.state.audit.list({ limit: 10, event: "config_changed" }).length,
    0,
  );
  assertEquals(
    gateway.logger.tail({ pattern: "Config reloaded" }).entries.length,
    0,
  );
});
