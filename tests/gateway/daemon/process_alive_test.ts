import { isProcessAlive } from "../../../gateway/daemon/process_alive.ts";
import { assertEquals } from "../../_helpers.ts";
import { spawnSleeper } from "./_helpers.ts";

Deno.test("isProcessAlive() is true for this process and a live child, false once the child is reaped", async () => {
  assertEquals(await isProcessAlive(Deno.pid), true);
  const child = spawnSleeper();
  assertEquals(await isProcessAlive(child.pid), true);
  await child[Symbol.asyncDispose]();
  assertEquals(await isProcessAlive(child.pid), false);
});

Deno.test("isProcessAlive() gives the same answers through ps (the macOS/BSD method)", async () => {
  assertEquals(await isProcessAlive(Deno.pid, { os: "darwin" }), true);
  const child = spawnSleeper();
  assertEquals(await isProcessAlive(child.pid, { os: "darwin" }), true);
  await child[Symbol.asyncDispose]();
  assertEquals(await isProcessAlive(child.pid, { os: "darwin" }), false);
});

Deno.test("isProcessAlive() is false for non-positive and non-integer pids", async () => {
  for (const pid of [0, -1, 1.5, Number.NaN]) {
    assertEquals(await isProcessAlive(pid), false);
  }
});
