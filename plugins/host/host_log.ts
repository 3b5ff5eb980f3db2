/**
 * `log-*` host functions: one message of at most 4 KiB, at most 1000 per
 * minute per plugin, written under the target `plugins.<id>`.
 *
 * @module
 */
import type { HostContext } from "./host_context.ts";
import { SlidingWindowLimiter } from "./sliding_window.ts";

/** The longest log message kept, in UTF-8 bytes. */
export const MAX_LOG_MESSAGE_BYTES = 4096;
/** Log messages per minute per plugin. */
export const MAX_LOGS_PER_MINUTE = 1000;

type Level = "debug" | "info" | "warn" | "error";

/** The four log functions of one plugin. */
export function createLogFunctions(
  ctx: HostContext,
): Record<Level, (message: string) => void> {
  const limiter = new SlidingWindowLimiter(
    MAX_LOGS_PER_MINUTE,
    60_000,
    ctx.clock,
  );
  let warnedAt = -Infinity;
  const log = (level: Level) => (message: string) => {
    if (!limiter.tryTake()) {
      const now = ctx.clock();
      if (now - warnedAt >= 60_000) {
        warnedAt = now;
        ctx.logger.warn(
          ctx.target,
          `Plugin log rate limit reached: more than ${MAX_LOGS_PER_MINUTE} messages in a minute; dropping messages`,
        );
      }
      return;
    }
    ctx.logger[level](ctx.target, truncate(String(message)));
  };
  return {
    debug: log("debug"),
    info: log("info"),
    warn: log("warn"),
    error: log("error"),
  };
}

function truncate(message: string): string {
  const bytes = new TextEncoder().encode(message);
  if (bytes.length <= MAX_LOG_MESSAGE_BYTES) return message;
  const cut = new TextDecoder().decode(
    bytes.subarray(0, MAX_LOG_MESSAGE_BYTES - 16),
  ).replace(/\uFFFD$/, "");
  return `${cut}… [truncated]`;
}
