/**
 * The one place HTTP maps errors to responses: a person-facing `CaraError`
 * or Hono `HTTPException` keeps its message; a body the client broke off is
 * a 400; anything else is our bug and answers 500 without details while its
 * stack goes to the log.
 *
 * @module
 */
import type { ErrorHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { CaraError } from "../errors.ts";
import type { ScopedLogger } from "../logs/logger.ts";

// What Deno throws while reading a body the client broke off or mis-encoded.
const BODY_IO_ERRORS = [
  Deno.errors.BadResource,
  Deno.errors.Http,
  Deno.errors.ConnectionReset,
  Deno.errors.ConnectionAborted,
  Deno.errors.UnexpectedEof,
  Deno.errors.Interrupted,
];

/** A `CaraError` may carry the HTTP status it maps to (default 400). */
export interface HttpStatusHint {
  status?: number;
}

/**
 * Builds the `app.onError` handler.
 *
 * @example
 * ```ts
 * app.onError(errorHandler(logger.child("gateway.http")));
 * ```
 */
export function errorHandler(logger: ScopedLogger): ErrorHandler {
  return function errorHandler(error, c) {
    if (error instanceof HTTPException) {
      const status = error.status;
      return c.json(
        { ok: false, error: error.message || "Request failed" },
        status,
      );
    }
    if (error instanceof CaraError) {
      const hint = (error as HttpStatusHint).status;
      const status = hint !== undefined && hint >= 400 && hint <= 599
        ? hint
        : 400;
      return c.json(
        { ok: false, error: error.message, code: error.code },
        status as 400,
      );
    }
    if (isBrokenBody(error, c.req.raw)) {
      logger.info("request body could not be read", {
        method: c.req.method,
        path: c.req.path,
        error: error.name,
      });
      return c.json({
        ok: false,
        error:
          "Cannot read the request body: the connection broke or the encoding is invalid",
      }, 400);
    }
    logger.error("unhandled error in HTTP handler", {
      method: c.req.method,
      path: c.req.path,
      error,
    });
    return c.json({
      ok: false,
      error: "Internal server error: see the gateway log for details",
    }, 500);
  };
}

/** Whether `error` is an I/O failure of a request that carries a body: the peer's fault, not ours. */
function isBrokenBody(error: Error, request: Request): boolean {
  return request.body !== null &&
    BODY_IO_ERRORS.some((kind) => error instanceof kind);
}
