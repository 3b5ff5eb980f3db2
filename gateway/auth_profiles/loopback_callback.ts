/**
 * The one-shot loopback server that receives the OAuth redirect at
 * `http://127.0.0.1:<random port>/auth/callback`: it checks `state` in
 * constant time, accepts exactly one matching answer, and gives up after a
 * timeout.
 *
 * @module
 */
import { secretsEqual } from "../auth/secret_compare.ts";
import { AuthProfileError } from "./types.ts";

/** The callback path registered with the OAuth client. */
export const CALLBACK_PATH = "/auth/callback";
const MAX_URL_CHARS = 8 * 1024;

/** Options of {@linkcode startLoopbackCallback}. */
export interface LoopbackCallbackOptions {
  /** The `state` sent with the authorize request. */
  state: string;
  /** Give up after this long (default 5 minutes). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** A listening callback server; `await using` closes it. */
export interface LoopbackCallback extends AsyncDisposable {
  readonly redirectUri: string;
  /** Settles with the authorization code, or rejects (refused, timed out, aborted). */
  readonly code: Promise<string>;
}

function page(status: number, text: string): Response {
  return new Response(
    `<!doctype html><meta charset="utf-8"><title>cara</title><p>${text}</p>\n`,
    {
      status,
      headers: {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
        "referrer-policy": "no-referrer",
      },
    },
  );
}

/**
 * Starts the callback server on 127.0.0.1, port 0.
 *
 * @example
 * ```ts
 * await using callback = startLoopbackCallback({ state });
 * const code = await callback.code;
 * ```
 */
export function startLoopbackCallback(
  options: LoopbackCallbackOptions,
): LoopbackCallback {
  const result = Promise.withResolvers<string>();
  result.promise.catch(() => {});
  let settled = false;
  const settle = (outcome: string | Error) => {
    if (settled) return;
    settled = true;
    if (typeof outcome === "string") result.resolve(outcome);
    else result.reject(outcome);
  };
  const seconds = Math.ceil((options.timeoutMs ?? 300_000) / 1000);
  const timer = setTimeout(() =>
    settle(
      new AuthProfileError(
        "oauth_timeout",
        `Cannot finish the sign-in: no answer from the browser within ${seconds} s; run the sign-in again`,
      ),
    ), options.timeoutMs ?? 300_000);
  const onAbort = () =>
    settle(
      new AuthProfileError(
        "oauth_aborted",
        "Cannot finish the sign-in: it was cancelled",
      ),
    );
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen() {},
  }, (request) => {
    if (request.url.length > MAX_URL_CHARS) return page(414, "URL too long.");
    const url = new URL(request.url);
    if (url.pathname !== CALLBACK_PATH) return page(404, "Not found.");
    if (request.method !== "GET") return page(405, "Method not allowed.");
    if (settled) {
      return page(410, "This sign-in link was already used or has expired.");
    }
    const state = url.searchParams.get("state") ?? "";
    if (!secretsEqual(state, options.state)) {
      return page(400, "This answer does not belong to the running sign-in.");
    }
    const error = url.searchParams.get("error");
    if (error !== null) {
      settle(
        new AuthProfileError(
          "oauth_refused",
          `Cannot finish the sign-in: the provider answered "${
            error.slice(0, 64)
          }"; run the sign-in again and approve the access`,
        ),
      );
      return page(400, "Sign-in refused. You can close this tab.");
    }
    const code = url.searchParams.get("code");
    if (!code) return page(400, "The answer has no authorization code.");
    settle(code);
    return page(200, "Signed in to cara. You can close this tab.");
  });
  return {
    redirectUri: `http://127.0.0.1:${server.addr.port}${CALLBACK_PATH}`,
    code: result.promise,
    async [Symbol.asyncDispose]() {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      settle(
        new AuthProfileError(
          "oauth_aborted",
          "Cannot finish the sign-in: it was closed",
        ),
      );
      await server.shutdown();
    },
  };
}
