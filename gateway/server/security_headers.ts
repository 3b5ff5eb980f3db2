/**
 * Sets the protocol §10 security headers on every response: the full CSP for
 * HTML pages, the locked-down API CSP for everything else (JSON, metrics).
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";

/** CSP for HTML pages (the Control UI). */
export const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' wss: ws:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/** CSP for API responses: nothing may load. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** Headers sent on every response regardless of content. */
export const COMMON_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "X-XSS-Protection": "1; mode=block",
  "Permissions-Policy":
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()",
};

/** HSTS value, only sent over TLS. */
export const HSTS = "max-age=31536000; includeSubDomains";

/** Options of {@linkcode securityHeaders}. */
export interface SecurityHeadersOptions {
  /** Whether the listener speaks TLS (enables HSTS). */
  tls: boolean;
}

/**
 * Middleware adding the security headers after the handler ran.
 *
 * @example
 * ```ts
 * app.use(securityHeaders({ tls: false }));
 * ```
 */
export function securityHeaders(
  options: SecurityHeadersOptions,
): MiddlewareHandler {
  const fixed = Object.entries({
    ...COMMON_SECURITY_HEADERS,
    ...(options.tls ? { "Strict-Transport-Security": HSTS } : {}),
  });
  return async function securityHeaders(c, next) {
    await next();
    // A WebSocket upgrade response must reach Deno untouched.
    if (c.res.status === 101) return;
    const isPage = c.res.headers.get("content-type")?.startsWith("text/html") ??
      false;
    try {
      apply(c.res.headers, fixed, isPage);
    } catch {
      // Immutable headers (e.g. a Response from fetch()): copy, then set.
      c.res = new Response(c.res.body, c.res);
      apply(c.res.headers, fixed, isPage);
    }
  };
}

function apply(
  headers: Headers,
  fixed: [string, string][],
  isPage: boolean,
): void {
  for (const [name, value] of fixed) headers.set(name, value);
  headers.set("Content-Security-Policy", isPage ? PAGE_CSP : API_CSP);
}
