import { assert, assertMatch, assertRejects } from "../_helpers.ts";
import { freePort, spawnServer, waitForHealth } from "../../bench/_process.ts";
import { bareHonoServer, startServer } from "../../bench/_servers.ts";

function denoEval(code: string) {
  return { command: Deno.execPath(), args: ["eval", code] };
}

Deno.test("waitForHealth() resolves with the elapsed ms when the bare Hono server answers 200", async () => {
  await using server = startServer(bareHonoServer());
  const ms = await waitForHealth(server);
  assert(ms > 0 && ms < 30_000, `elapsed ${ms} ms`);
  const response = await fetch(`http://127.0.0.1:${server.port}/health`);
  assert(response.status === 200);
  await response.body?.cancel();
});

Deno.test("ServerProcess.stop() ends the process and frees its port", async () => {
  const server = startServer(bareHonoServer());
  await waitForHealth(server);
  await server.stop();
  const status = await server.status;
  assert(!status.success || status.signal !== null);
  await assertRejects(() =>
    fetch(`http://127.0.0.1:${server.port}/health`, {
      signal: AbortSignal.timeout(2000),
    })
  );
});

Deno.test("waitForHealth() names the exit code and output when the process exits first", async () => {
  const port = freePort();
  await using server = spawnServer(
    denoEval("console.error('boom on start'); Deno.exit(3)"),
    { port },
  );
  const error = await waitForHealth(server).catch((e: unknown) => e);
  assert(error instanceof Error);
  assertMatch(error.message, /exited with code 3/);
  assertMatch(error.message, /boom on start/);
});

Deno.test("waitForHealth() fails after the timeout when nothing listens", async () => {
  const port = freePort();
  await using server = spawnServer(denoEval("setTimeout(() => {}, 60_000)"), {
    port,
  });
  const error = await waitForHealth(server, { timeoutMs: 300 }).catch((
    e: unknown,
  ) => e);
  assert(error instanceof Error);
  assertMatch(error.message, /no 200 within 300 ms/);
});
