/**
 * CSRF protection of `/control/*` writes (POST, PUT, PATCH, DELETE):
 * 1. an Origin (or Referer) naming another host than `Host` → 403;
 * 2. no session cookie → pass (CLI and curl; service auth still applies);
 * 3. a session cookie without Origin/Referer → 403 `Origin missing`;
 * 4. else `x-csrf-token` must match the session's token (`CSRF token
 *    missing|invalid|expired` otherwise).
 *
 * 403 body: `{"error":{"code":"csrf_error","message":"<text>"}}`.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { cookieNames, type CsrfSessions } from "./csrf_sessions.ts";

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Options of {@linkcode csrfProtection}. */
export interface CsrfOptions {
  sessions: CsrfSessions;
  /** Whether the listener speaks TLS (picks the `__Host-` cookie names). */
  tls: boolean;
}

/**
 * The CSRF middleware; mount it on `/control/*`.
 *
 * @example
 * ```ts
 * app.use("/control/*", csrfProtection({ sessions: new CsrfSessionStore(), tls: false }));
 * ```
 */
export function csrfProtection(options: CsrfOptions): MiddlewareHandler {
  const names = cookieNames(options.tls);
  return async function csrf(c, next) {
    if (!UNSAFE_METHODS.has(c.req.method)) return await next();
    const source = c.req.header("origin") ?? c.req.header("referer");
    if (source !== undefined && !sameHost(source, c.req.header("host"))) {
      return refuse(c, "Origin does not match the request host");
    }
    const session = getCookie(c, names.session);
    if (session === undefined) return await next();
    if (source === undefined) return refuse(c, "Origin missing");
    const verdict = options.sessions.check(
      session,
      c.req.header("x-csrf-token"),
    );
    if (verdict !== "ok") return refuse(c, `CSRF token ${verdict}`);
    await next();
  };
}

function sameHost(source: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  try {
    return new URL(source).host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
}

function refuse(c: Context, message: string): Response {
  return c.json({ error: { code: "csrf_error", message } }, 403);
}
