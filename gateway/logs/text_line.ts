/**
 * A log entry as one human-readable line, for a terminal: time, level,
 * target, message, then the fields as `key=value`.
 *
 * @module
 */
import type { LogEntry } from "./ring_buffer.ts";

/**
 * Formats `entry` for people (the JSON line stays the format for files and pipes).
 *
 * @example
 * ```ts
 * formatLogText(entry); // "2026-11-29T12:00:00.000Z INFO  gateway: Gateway listening url=http://127.0.0.1:18789"
 * ```
 */
export function formatLogText(entry: LogEntry): string {
  const fields = Object.entries(entry.fields ?? {})
    .map(([key, value]) =>
      `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`
    )
    .join(" ");
  const level = entry.level.toUpperCase().padEnd(5);
  return `${entry.timestamp} ${level} ${entry.target}: ${entry.message}${
    fields === "" ? "" : ` ${fields}`
  }`;
}
