import { assertEquals, assertThrows } from "../_helpers.ts";
import { round, summarize } from "../../bench/_stats.ts";

Deno.test("summarize() gives median, nearest-rank p90, min and max when the count is odd", () => {
  assertEquals(summarize([5, 1, 4, 2, 3]), {
    samples: 5,
    median_ms: 3,
    p90_ms: 5,
    min_ms: 1,
    max_ms: 5,
  });
});

Deno.test("summarize() averages the two middle samples when the count is even", () => {
  const samples = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
  assertEquals(summarize(samples).median_ms, 55);
  assertEquals(summarize(samples).p90_ms, 90);
});

Deno.test("summarize() throws a RangeError when there are no samples", () => {
  assertThrows(() => summarize([]), RangeError);
});

Deno.test("round() keeps one decimal", () => {
  assertEquals(round(12.345), 12.3);
  assertEquals(round(0.05), 0.1);
});
