/**
 * Log levels, their order, and the one parser from operator text to a level.
 *
 * @module
 */
import { CaraError } from "../errors.ts";

/** The five log levels, from most to least verbose. */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error"] as const;

/** One of {@linkcode LOG_LEVELS}. */
export type LogLevel = typeof LOG_LEVELS[number];

/** The rank of a level: higher is more severe. */
export function levelRank(level: LogLevel): number {
  return LOG_LEVELS.indexOf(level);
}

/** Whether `text` names a log level (exact, lower case). */
export function isLogLevel(text: string): text is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(text);
}

/**
 * Parses a level name from config, env or a WS request (case-insensitive,
 * `warning` accepted for `warn`).
 *
 * @throws {CaraError} `invalid_log_level` naming the valid levels.
 * @example
 * ```ts
 * parseLogLevel("DEBUG"); // "debug"
 * ```
 */
export function parseLogLevel(text: string): LogLevel {
  const normalized = text.trim().toLowerCase();
  const level = normalized === "warning" ? "warn" : normalized;
  if (isLogLevel(level)) return level;
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  throw new CaraError(
    "invalid_log_level",
    `Cannot use log level "${shown}": expected one of ${LOG_LEVELS.join(", ")}`,
  );
}
