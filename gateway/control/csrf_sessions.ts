/**
 * Control UI sessions and their CSRF tokens: 32 random bytes (base64url),
 * valid for one hour, compared in constant time. The Control UI issues a
 * session when it serves its page; the CSRF middleware checks it.
 *
 * @module
 */
import { secretsEqual } from "../auth/secret_compare.ts";
import { encodeBase64Url } from "../protocol/base64url.ts";

/** How long a session's CSRF token is accepted: 1 hour. */
export const CSRF_TTL_MS = 60 * 60 * 1000;
/** The most live sessions kept; the oldest is dropped first. */
export const MAX_CSRF_SESSIONS = 1024;

/** The verdict on one presented token. */
export type CsrfCheck = "ok" | "missing" | "invalid" | "expired";

/** What the CSRF middleware needs from a session store. */
export interface CsrfSessions {
  check(sessionId: string, token: string | undefined): CsrfCheck;
}

/** A new session and its token. */
export interface IssuedSession {
  sessionId: string;
  csrfToken: string;
  expiresAtMs: number;
}

/** In-memory sessions (lost on restart: the UI simply issues a new one). */
export class CsrfSessionStore implements CsrfSessions {
  #sessions = new Map<string, { token: string; expiresAtMs: number }>();
  #now: () => number;

  /** `now`: wall clock in ms (default `Date.now`). */
  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** Starts a session. */
  issue(): IssuedSession {
    if (this.#sessions.size >= MAX_CSRF_SESSIONS) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest !== undefined) this.#sessions.delete(oldest);
    }
    const sessionId = randomToken();
    const csrfToken = randomToken();
    const expiresAtMs = this.#now() + CSRF_TTL_MS;
    this.#sessions.set(sessionId, { token: csrfToken, expiresAtMs });
    return { sessionId, csrfToken, expiresAtMs };
  }

  /** Checks the token presented for a session. */
  check(sessionId: string, token: string | undefined): CsrfCheck {
    if (token === undefined || token === "") return "missing";
    const session = this.#sessions.get(sessionId);
    if (session === undefined) return "invalid";
    if (this.#now() >= session.expiresAtMs) {
      this.#sessions.delete(sessionId);
      return "expired";
    }
    return secretsEqual(token, session.token) ? "ok" : "invalid";
  }
}

/**
 * The `Set-Cookie` values for a session: `__Host-session` (HttpOnly) and
 * `__Host-csrf` with TLS, `session` and `csrf` without.
 *
 * @example
 * ```ts
 * for (const v of sessionCookies(store.issue(), { tls: false })) c.header("Set-Cookie", v, { append: true });
 * ```
 */
export function sessionCookies(
  session: IssuedSession,
  options: { tls: boolean },
): string[] {
  const names = cookieNames(options.tls);
  const attrs = `Path=/; SameSite=Strict; Max-Age=${CSRF_TTL_MS / 1000}${
    options.tls ? "; Secure" : ""
  }`;
  return [
    `${names.session}=${session.sessionId}; ${attrs}; HttpOnly`,
    `${names.csrf}=${session.csrfToken}; ${attrs}`,
  ];
}

/** The session and CSRF cookie names for a listener. */
export function cookieNames(tls: boolean): { session: string; csrf: string } {
  return tls
    ? { session: "__Host-session", csrf: "__Host-csrf" }
    : { session: "session", csrf: "csrf" };
}

function randomToken(): string {
  return encodeBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}
