/**
 * Records each request: one log entry (method, path, status, duration) and
 * the `carapace_http_requests_total` counter. Query strings and headers are
 * never logged, because tokens travel in both.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import type { ScopedLogger } from "../logs/logger.ts";
import type { Counter } from "./metrics.ts";

/** Options of {@linkcode requestLog}. */
export interface RequestLogOptions {
  logger: ScopedLogger;
  /** Counter with labels `method` and `status`. */
  requests?: Counter;
  /** Monotonic clock in milliseconds (default `performance.now`). */
  clock?: () => number;
}

// Anything else is counted as OTHER so hostile methods cannot add series.
const KNOWN_METHODS = new Set([
  "GET",
  "HEAD",
  "POST",
  "PUT",
  "PATCH",
  "DELETE",
  "OPTIONS",
]);
// Probes are frequent and uninteresting; they log at debug.
const QUIET_PATHS = new Set([
  "/health",
  "/health/live",
  "/health/ready",
  "/metrics",
]);
const MAX_LOGGED_PATH = 256;

/**
 * Middleware logging every finished request, including refused ones.
 *
 * @example
 * ```ts
 * app.use(requestLog({ logger: logger.child("gateway.http"), requests: metrics.httpRequests }));
 * ```
 */
export function requestLog(options: RequestLogOptions): MiddlewareHandler {
  const clock = options.clock ?? (() => performance.now());
  return async function requestLog(c, next) {
    const started = clock();
    await next();
    const method = KNOWN_METHODS.has(c.req.method) ? c.req.method : "OTHER";
    const status = c.res.status;
    options.requests?.inc({ method, status: String(status) });
    const path = c.req.path.length > MAX_LOGGED_PATH
      ? `${c.req.path.slice(0, MAX_LOGGED_PATH)}…`
      : c.req.path;
    const fields = {
      method,
      path,
      status,
      ms: Math.round((clock() - started) * 10) / 10,
    };
    if (status >= 500) options.logger.warn("request failed", fields);
    else if (QUIET_PATHS.has(c.req.path)) {
      options.logger.debug("request", fields);
    } else options.logger.info("request", fields);
  };
}
