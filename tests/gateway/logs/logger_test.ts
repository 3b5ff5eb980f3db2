import { assert, assertEquals, tempDir } from "../../_helpers.ts";
import { createLogger } from "../../../gateway/logs/logger.ts";
import type { LogEntry } from "../../../gateway/logs/ring_buffer.ts";

const FIXED = Date.UTC(2025, 0, 2, 3, 4, 5, 6);

function readLines(path: string): LogEntry[] {
  return Deno.readTextFileSync(path).trim().split("\n").map((line) =>
    JSON.parse(line) as LogEntry
  );
}

Deno.test("createLogger() writes JSON lines to cara.log with mode 0600 and flushes on close", async () => {
  using dir = tempDir();
  const logger = createLogger({
    dir: `${dir.path}/logs`,
    level: "info",
    clock: () => FIXED,
  });
  logger.info("gateway", "listening", { port: 18789 });
  logger.child("gateway.http").warn("slow", { ms: 1200 });
  await logger.close();
  const entries = readLines(`${dir.path}/logs/cara.log`);
  assertEquals(entries, [
    {
      seq: 1,
      timestamp: "2025-01-02T03:04:05.006Z",
      level: "info",
      target: "gateway",
      message: "listening",
      fields: { port: 18789 },
    },
    {
      seq: 2,
      timestamp: "2025-01-02T03:04:05.006Z",
      level: "warn",
      target: "gateway.http",
      message: "slow",
      fields: { ms: 1200 },
    },
  ]);
  if (Deno.build.os !== "windows") {
    assertEquals(
      Deno.statSync(`${dir.path}/logs/cara.log`).mode! & 0o777,
      0o600,
    );
    assertEquals(Deno.statSync(`${dir.path}/logs`).mode! & 0o777, 0o700);
  }
});

Deno.test("createLogger() never writes secret field values to the file, console or ring", async () => {
  using dir = tempDir();
  const printed: string[] = [];
  const logger = createLogger({
    dir: dir.path,
    level: "info",
    console: (line) => printed.push(line),
  });
  logger.info("auth", "connect with Bearer tok-123456", {
    token: "tok-123456",
    headers: { Authorization: "Bearer tok-123456", "x-api-key": "tok-123456" },
    gateway: { auth: { password: "tok-123456" } },
  });
  await logger.close();
  const file = Deno.readTextFileSync(`${dir.path}/cara.log`);
  const ring = JSON.stringify(logger.tail());
  for (const text of [file, printed.join("\n"), ring]) {
    assert(!text.includes("tok-123456"), text);
    assert(text.includes("[REDACTED]"));
  }
});

Deno.test("createLogger() discards entries below its level everywhere", async () => {
  using dir = tempDir();
  const printed: string[] = [];
  const logger = createLogger({
    dir: dir.path,
    level: "warn",
    console: (line) => printed.push(line),
  });
  logger.debug("x", "noise");
  logger.info("x", "noise");
  logger.error("x", "kept");
  await logger.close();
  assertEquals(
    readLines(`${dir.path}/cara.log`).map((entry) => entry.message),
    ["kept"],
  );
  assertEquals(printed.length, 1);
  assertEquals(logger.tail().entries.map((entry) => [entry.seq, entry.level]), [
    [1, "error"],
  ]);
});

Deno.test("createLogger() rotates cara.log by size and keeps at most maxFiles old files", async () => {
  using dir = tempDir();
  const logger = createLogger({
    dir: dir.path,
    level: "info",
    maxFileBytes: 1000,
    maxFiles: 2,
  });
  for (let index = 0; index < 40; index++) {
    logger.info("rot", `line ${index} ${"x".repeat(60)}`);
    if (index % 7 === 0) await logger.flush();
  }
  await logger.close();
  const names = [...Deno.readDirSync(dir.path)].map((entry) => entry.name)
    .sort();
  assertEquals(names, ["cara.log", "cara.log.1", "cara.log.2"]);
  for (const name of names) {
    const size = Deno.statSync(`${dir.path}/${name}`).size;
    assert(size > 0 && size <= 1000, `${name} has ${size} bytes`);
    if (Deno.build.os !== "windows") {
      assertEquals(Deno.statSync(`${dir.path}/${name}`).mode! & 0o777, 0o600);
    }
  }
  const newest = readLines(`${dir.path}/cara.log`);
  assertEquals(newest.at(-1)?.message.startsWith("line 39 "), true);
  const older = readLines(`${dir.path}/cara.log.1`);
  assertEquals(older.at(-1)!.seq + 1, newest[0]!.seq);
});

Deno.test("createLogger() keeps appending to an existing cara.log across restarts", async () => {
  using dir = tempDir();
  const first = createLogger({ dir: dir.path, level: "info" });
  first.info("a", "one");
  await first.close();
  const second = createLogger({ dir: dir.path, level: "info" });
  second.info("a", "two");
  await second.close();
  assertEquals(
    readLines(`${dir.path}/cara.log`).map((entry) => entry.message),
    ["one", "two"],
  );
});

Deno.test("createLogger() keeps logging to memory when the log dir cannot be created", async () => {
  using dir = tempDir();
  Deno.writeTextFileSync(`${dir.path}/file`, "");
  const logger = createLogger({ dir: `${dir.path}/file/logs`, level: "info" });
  logger.info("a", "still recorded");
  await logger.close();
  const messages = logger.tail().entries.map((entry) => entry.message);
  assertEquals(messages[0], "still recorded");
  assert(
    messages[1]?.startsWith("Cannot write the log file"),
    String(messages[1]),
  );
});

Deno.test("Logger.tail() exposes the ring with cursors for logs.tail", () => {
  const logger = createLogger({ level: "trace", ringSize: 3 });
  for (const message of ["a", "b", "c", "d"]) logger.trace("t", message);
  const result = logger.tail({ cursor: 0 });
  assertEquals(result.reset, true);
  assertEquals(result.entries.map((entry) => entry.message), ["b", "c", "d"]);
  assertEquals(result.cursor, 4);
});
