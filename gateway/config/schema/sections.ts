/**
 * The smaller sections: `logging`, `sessions`, `usage`, `cron`, `filesystem`.
 *
 * @module
 */
import { isAbsolute } from "node:path";
import { z } from "zod";
import {
  bool,
  int,
  looseObject,
  nonEmpty,
  oneOf,
  section,
  str,
  strList,
} from "./_types.ts";

/** Schema of `logging`. */
export const loggingSchema = section({
  level: oneOf(["trace", "debug", "info", "warn", "error"]).default("info"),
  format: oneOf(["text", "json"]).optional(),
  consoleStyle: str().optional(),
  redactSensitive: str().optional(),
}).default({});

/** Schema of `sessions`. */
export const sessionsSchema = section({
  retention: section({
    enabled: bool().default(true),
    days: int(1).default(30),
    intervalHours: int(1).default(6),
  }).default({}),
  integrity: section({
    enabled: bool().default(true),
    action: oneOf(["warn", "reject"]).default("warn"),
  }).default({}),
  encryption: section({
    mode: oneOf(["off", "if_password", "required"]).default("if_password"),
  }).default({}),
}).default({});

const cost = z.number({
  invalid_type_error: "expected a cost in dollars per million tokens",
})
  .min(0, "expected a cost of at least 0");

/** Schema of `usage`. */
export const usageSchema = section({
  enabled: bool().default(true),
  pricing: section({
    default: section({ inputCostPerMTok: cost, outputCostPerMTok: cost })
      .optional(),
    overrides: z.array(
      section({
        match: nonEmpty(),
        matchType: oneOf(["exact", "contains"]).default("contains"),
        inputCostPerMTok: cost,
        outputCostPerMTok: cost,
      }),
      { invalid_type_error: "expected an array of price overrides" },
    ).default([]),
  }).default({}),
}).default({});

/** Schema of `cron`. */
export const cronSchema = section({
  enabled: bool().default(false),
  maxConcurrentRuns: int(1).default(2),
  entries: z.array(
    section({
      schedule: nonEmpty("a cron schedule"),
      payload: looseObject().optional(),
    }),
    { invalid_type_error: "expected an array of cron entries" },
  ).default([]),
}).default({});

/** Schema of `filesystem` (the agent's file tools). */
export const filesystemSchema = section({
  enabled: bool().default(false),
  roots: z.array(
    str("an absolute path").refine(isAbsolute, {
      message: "expected an absolute path",
    }),
    { invalid_type_error: "expected an array of absolute paths" },
  ).default([]),
  writeAccess: bool().default(false),
  maxReadBytes: int(1).default(10485760),
  excludePatterns: strList("an array of glob patterns").default([]),
}).default({});
