import { assertEquals, assertThrows } from "../../_helpers.ts";
import { LogRing } from "../../../gateway/logs/ring_buffer.ts";
import type { LogLevel } from "../../../gateway/logs/levels.ts";

function filled(
  capacity: number,
  count: number,
  level: LogLevel = "info",
): LogRing {
  const ring = new LogRing(capacity);
  for (let index = 1; index <= count; index++) {
    ring.push({
      timestamp: "2025-01-01T00:00:00.000Z",
      level,
      target: "t",
      message: `m${index}`,
    });
  }
  return ring;
}

Deno.test("LogRing.tail() returns the newest entries oldest-first when no cursor is given", () => {
  const result = filled(10, 25).tail({ limit: 3 });
  assertEquals(result.entries.map((entry) => entry.seq), [23, 24, 25]);
  assertEquals(result.cursor, 25);
  assertEquals(result.truncated, true);
  assertEquals(result.reset, false);
});

Deno.test("LogRing.tail() pages forward from a cursor without gaps or repeats", () => {
  const ring = filled(100, 10);
  const first = ring.tail({ cursor: 0, limit: 4 });
  assertEquals(first.entries.map((entry) => entry.seq), [1, 2, 3, 4]);
  assertEquals([first.cursor, first.truncated], [4, true]);
  const second = ring.tail({ cursor: first.cursor, limit: 100 });
  assertEquals(second.entries.map((entry) => entry.seq), [5, 6, 7, 8, 9, 10]);
  assertEquals([second.cursor, second.truncated, second.reset], [
    10,
    false,
    false,
  ]);
  const empty = ring.tail({ cursor: 10 });
  assertEquals([empty.entries.length, empty.cursor, empty.reset], [
    0,
    10,
    false,
  ]);
});

Deno.test("LogRing.tail() reports reset when the cursor fell out of the ring", () => {
  const ring = filled(5, 12);
  const result = ring.tail({ cursor: 3 });
  assertEquals(result.reset, true);
  assertEquals(result.entries.map((entry) => entry.seq), [8, 9, 10, 11, 12]);
  const fromFuture = ring.tail({ cursor: 999 });
  assertEquals([fromFuture.reset, fromFuture.entries.length], [true, 5]);
  assertEquals(ring.tail({ cursor: 7 }).reset, false);
});

Deno.test("LogRing.tail() filters by level and pattern and advances the cursor past skipped entries", () => {
  const ring = new LogRing(10);
  ring.push({ timestamp: "x", level: "debug", target: "ws", message: "hello" });
  ring.push({
    timestamp: "x",
    level: "warn",
    target: "http",
    message: "Slow request",
  });
  ring.push({
    timestamp: "x",
    level: "error",
    target: "ws",
    message: "closed",
  });
  ring.push({
    timestamp: "x",
    level: "info",
    target: "ws",
    message: "slow down",
  });
  const warn = ring.tail({ cursor: 0, minLevel: "warn" });
  assertEquals(warn.entries.map((entry) => entry.seq), [2, 3]);
  assertEquals(warn.cursor, 4);
  assertEquals(
    ring.tail({ cursor: 0, pattern: "SLOW" }).entries.map((entry) => entry.seq),
    [2, 4],
  );
  assertEquals(
    ring.tail({ cursor: 0, pattern: "WS", minLevel: "info" }).entries.map((
      entry,
    ) => entry.seq),
    [3, 4],
  );
});

Deno.test("LogRing.tail() stops at maxBytes but always returns one entry", () => {
  const ring = filled(10, 5);
  const one = ring.tail({ cursor: 0, maxBytes: 1 });
  assertEquals([one.entries.length, one.cursor, one.truncated], [1, 1, true]);
  const size = JSON.stringify(one.entries[0]).length;
  const two = ring.tail({ cursor: 0, maxBytes: size * 2 + 1 });
  assertEquals([two.entries.length, two.cursor, two.truncated], [2, 2, true]);
});

Deno.test("LogRing rejects a capacity below one", () => {
  assertThrows(() => new LogRing(0), RangeError);
});
