/**
 * Caps request bodies: a declared `Content-Length` over the cap is refused
 * before reading, a chunked body is refused as soon as it grows past it.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { bodyLimit as honoBodyLimit } from "hono/body-limit";

/** The default request body cap: 1 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Options of {@linkcode bodyLimit}. */
export interface BodyLimitOptions {
  /** Largest accepted body in bytes. */
  maxBytes: number;
}

/**
 * Middleware answering 413 JSON when a request body exceeds `maxBytes`.
 *
 * @example
 * ```ts
 * app.use(bodyLimit({ maxBytes: DEFAULT_MAX_BODY_BYTES }));
 * ```
 */
export function bodyLimit(options: BodyLimitOptions): MiddlewareHandler {
  const { maxBytes } = options;
  if (!Number.isInteger(maxBytes) || maxBytes < 0) {
    throw new RangeError(
      `Cannot limit request bodies to "${maxBytes}" bytes: expected a non-negative integer`,
    );
  }
  return honoBodyLimit({
    maxSize: maxBytes,
    onError: (c) =>
      c.json({
        ok: false,
        error:
          `Request body too large: the limit is ${maxBytes} bytes; send a smaller body`,
      }, 413),
  });
}
