/**
 * The `logs.tail` WS method: pages through the logger's in-memory tail with
 * a cursor, a level floor and a substring pattern.
 *
 * @module
 */
import type { Logger } from "../logs/logger.ts";
import { isLogLevel, LOG_LEVELS, type LogLevel } from "../logs/levels.ts";
import type { TailOptions } from "../logs/ring_buffer.ts";
import { utf8Length } from "../protocol/limits.ts";
import { ProtocolError } from "../protocol/errors.ts";
import type { MethodDefinition } from "../protocol/types.ts";

const KEYS = ["limit", "maxBytes", "cursor", "level", "pattern"];
const MAX_PATTERN = 256;

/** Checks `logs.tail` params into tail options. */
export function tailParams(raw: unknown): TailOptions {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw invalid("params must be an object");
  }
  const p = raw as Record<string, unknown>;
  for (const key of Object.keys(p)) {
    if (!KEYS.includes(key)) {
      throw invalid(`"${key}" is not a parameter; use ${KEYS.join(", ")}`);
    }
  }
  const options: TailOptions = {};
  if (p.limit !== undefined) options.limit = int(p.limit, "limit", 1, 5000);
  if (p.maxBytes !== undefined) {
    options.maxBytes = int(p.maxBytes, "maxBytes", 1, 1_000_000);
  }
  if (p.cursor !== undefined) {
    options.cursor = int(p.cursor, "cursor", 0, Number.MAX_SAFE_INTEGER);
  }
  if (p.level !== undefined) options.minLevel = level(p.level);
  if (p.pattern !== undefined) {
    if (typeof p.pattern !== "string" || p.pattern.length > MAX_PATTERN) {
      throw invalid(
        `"pattern" must be a string of at most ${MAX_PATTERN} characters`,
      );
    }
    if (p.pattern !== "") options.pattern = p.pattern;
  }
  return options;
}

/** `logs.tail` (operator.read). */
export function logsTailMethod(
  deps: { logger: Pick<Logger, "tail"> },
): MethodDefinition {
  return {
    name: "logs.tail",
    scope: "operator.read",
    handler: ({ params }) => {
      const result = deps.logger.tail(tailParams(params));
      const lines = result.entries.map((entry) => JSON.stringify(entry));
      return {
        entries: result.entries,
        lines,
        cursor: result.cursor,
        reset: result.reset,
        size: lines.reduce((sum, line) => sum + utf8Length(line) + 1, 0),
        truncated: result.truncated,
      };
    },
  };
}

function int(value: unknown, name: string, min: number, max: number): number {
  if (
    typeof value !== "number" || !Number.isInteger(value) || value < min ||
    value > max
  ) {
    throw invalid(
      `"${name}" must be an integer from ${min} to ${max}, got "${
        String(value).slice(0, 40)
      }"`,
    );
  }
  return value;
}

function level(value: unknown): LogLevel {
  const text = typeof value === "string" ? value.trim().toLowerCase() : "";
  const name = text === "warning" ? "warn" : text;
  if (!isLogLevel(name)) {
    throw invalid(
      `"level" must be one of ${LOG_LEVELS.join(", ")}, got "${
        String(value).slice(0, 40)
      }"`,
    );
  }
  return name;
}

function invalid(what: string): ProtocolError {
  return new ProtocolError(
    "invalid_request",
    `invalid logs.tail params: ${what}`,
  );
}
