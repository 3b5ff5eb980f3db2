import { assertEquals, assertThrows } from "../../_helpers.ts";
import { CaraError } from "../../../gateway/errors.ts";
import {
  levelRank,
  LOG_LEVELS,
  parseLogLevel,
} from "../../../gateway/logs/levels.ts";

Deno.test("parseLogLevel() accepts every level in any case and 'warning' for warn", () => {
  for (const level of LOG_LEVELS) {
    assertEquals(parseLogLevel(` ${level.toUpperCase()} `), level);
  }
  assertEquals(parseLogLevel("warning"), "warn");
});

Deno.test("parseLogLevel() names the valid levels when the text is unknown", () => {
  assertThrows(() => parseLogLevel("verbose"), (error: unknown) => {
    return error instanceof CaraError && error.code === "invalid_log_level" &&
      error.message ===
        'Cannot use log level "verbose": expected one of trace, debug, info, warn, error';
  });
});

Deno.test("levelRank() orders levels from trace to error", () => {
  assertEquals(LOG_LEVELS.map(levelRank), [0, 1, 2, 3, 4]);
});
