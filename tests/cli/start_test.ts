import {
  assert,
  assertEquals,
  assertMatch,
  isolatedEnv,
  runCara,
  runCaraInProcess,
  tempDir,
} from "../_helpers.ts";
import { readPidFile } from "../../gateway/daemon/mod.ts";
import { spawnGateway } from "./_gateway_process.ts";

Deno.test("cara start serves /health with embedded defaults and stops cleanly on SIGTERM", async () => {
  using dir = tempDir();
  const env = isolatedEnv(dir.path);
  await using gateway = await spawnGateway(["start", "--port", "0"], env);
  assertMatch(gateway.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const response = await fetch(`${gateway.url}/health`);
  const body = await response.json();
  assertEquals(response.status, 200);
  assertEquals(body.status, "ok");
  assertEquals((await readPidFile(dir.path))?.pid, gateway.child.pid);
  const status = await gateway.stop("SIGTERM");
  assertEquals(status.code, 0);
  await Deno.stat(`${dir.path}/state.db`);
  await assertGone(`${dir.path}/daemon.pid`);
});

Deno.test("cara status reports a running gateway in text and JSON", async () => {
  using dir = tempDir();
  const env = isolatedEnv(dir.path);
  await using gateway = await spawnGateway(["start", "--port", "0"], env);
  const text = await runCaraInProcess([
    "status",
    "--port",
    String(gateway.port),
  ], env);
  assertEquals(text.code, 0, text.stderr);
  assertMatch(text.stdout, /^Version: \d+\.\d+\.\d+$/m);
  assertMatch(text.stdout, /^Status: {2}ok$/m);
  assertMatch(
    text.stdout,
    new RegExp(`^Address: http://127\\.0\\.0\\.1:${gateway.port}$`, "m"),
  );
  const json = await runCaraInProcess([
    "status",
    "--port",
    String(gateway.port),
    "--json",
  ], env);
  assertEquals(JSON.parse(json.stdout).health.status, "ok");
});

Deno.test("cara status fails with one clear line when nothing listens", async () => {
  using dir = tempDir();
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  const result = await runCaraInProcess(
    ["status", "--port", String(port)],
    isolatedEnv(dir.path),
  );
  assertEquals(result.code, 1);
  assertMatch(
    result.stderr,
    /^Error: Cannot reach the gateway at http:\/\/127\.0\.0\.1:\d+: .*cara start/,
  );
  assertEquals(result.stderr.trim().split("\n").length, 1);
});

Deno.test("cara status reads the port from gateway.port in the config", async () => {
  using dir = tempDir();
  const env = isolatedEnv(dir.path);
  await using gateway = await spawnGateway(["start", "--port", "0"], env);
  await Deno.writeTextFile(
    `${dir.path}/carapace.json5`,
    `{ gateway: { port: ${gateway.port} } }`,
  );
  const result = await runCaraInProcess(["status"], env);
  assertEquals(result.code, 0, result.stderr);
});

Deno.test("cara start refuses a second daemon on the same state dir", async () => {
  using dir = tempDir();
  const env = isolatedEnv(dir.path);
  await using _gateway = await spawnGateway(["start", "--port", "0"], env);
  const second = await runCara(["start", "--port", "0"], { env });
  assertEquals(second.code, 1);
  assertMatch(
    second.stderr,
    /Error: Cannot start the cara daemon: another one \(pid \d+\)/,
  );
});

Deno.test("cara start explains a port that is already taken", async () => {
  using dir = tempDir();
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const result = await runCara(
    ["start", "--port", String(listener.addr.port)],
    { env: isolatedEnv(dir.path) },
  );
  assertEquals(result.code, 1);
  assertMatch(
    result.stderr,
    /Error: Cannot listen on 127\.0\.0\.1:\d+: .*already in use/,
  );
  await assertGone(`${dir.path}/daemon.pid`);
});

Deno.test("cara start refuses to listen beyond loopback without auth", async () => {
  using dir = tempDir();
  await Deno.writeTextFile(
    `${dir.path}/carapace.json5`,
    `{ gateway: { bind: "all" } }`,
  );
  const result = await runCara(["start", "--port", "0"], {
    env: isolatedEnv(dir.path),
  });
  assertEquals(result.code, 1);
  assertMatch(
    result.stderr,
    /Error: Refusing to listen on "0\.0\.0\.0" without authentication/,
  );
});

Deno.test("cara start refuses an invalid config with the key path", async () => {
  using dir = tempDir();
  await Deno.writeTextFile(
    `${dir.path}/carapace.json5`,
    `{ gateway: { port: "abc" } }`,
  );
  const result = await runCara(["start"], { env: isolatedEnv(dir.path) });
  assertEquals(result.code, 1);
  assertMatch(result.stderr, /gateway\.port/);
});

Deno.test("cara start --port rejects a non-numeric port as a usage error", async () => {
  using dir = tempDir();
  const result = await runCaraInProcess(
    ["start", "--port", "http"],
    isolatedEnv(dir.path),
  );
  assertEquals(result.code, 2);
  assertMatch(result.stderr, /expected an integer from 1 to 65535, got "http"/);
});

Deno.test("cara with no command runs start", async () => {
  using dir = tempDir();
  const help = await runCaraInProcess(["--help"], isolatedEnv(dir.path));
  assert(help.stdout.includes("start [options]"));
  await using gateway = await spawnGateway(
    ["--port", "0"],
    isolatedEnv(dir.path),
  );
  assertEquals((await fetch(`${gateway.url}/health`)).status, 200);
});

async function assertGone(path: string): Promise<void> {
  try {
    await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  throw new Error(`expected "${path}" to be removed`);
}

Deno.test("cara start at a terminal prints readable log lines and stops on Ctrl-C", async () => {
  using dir = tempDir();
  const { runCaraInPty } = await import("./_pty.ts");
  const { code, output } = await runCaraInPty(["start", "--port", "0"], {
    env: isolatedEnv(dir.path),
    steps: [{
      wait: "INFO  gateway: Gateway listening url=http://127.0.0.1:",
      send: "\x03",
    }],
  });
  assertEquals(code, 0, output);
  assertEquals(output.includes('{"seq"'), false, output);
});
