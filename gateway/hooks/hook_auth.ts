/**
 * Hooks authentication (protocol.md §10): the token of `gateway.hooks.token`
 * only, sent as `Authorization: Bearer` or `X-Carapace-Token`, compared in
 * constant time; no configured token → every request is refused.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { secretsEqual } from "../auth/secret_compare.ts";
import type { CaraConfig } from "../config/mod.ts";
import type { GatewayEnv } from "../server/client_address.ts";

/** The token a request presents, if any. */
export function presentedHookToken(headers: Headers): string | undefined {
  const bearer = headers.get("authorization")?.match(
    /^Bearer\s+(\S{1,4096})\s*$/i,
  )?.[1];
  return bearer ?? headers.get("x-carapace-token")?.trim().slice(0, 4096) ??
    undefined;
}

/** Middleware answering 401 `{ok:false, error}` unless the hooks token matches. */
export function hookAuth(
  config: () => CaraConfig,
): MiddlewareHandler<GatewayEnv> {
  return async function hookAuthMiddleware(c, next) {
    const expected = config().gateway.hooks.token;
    const presented = presentedHookToken(c.req.raw.headers);
    if (
      typeof expected !== "string" || expected === "" ||
      presented === undefined ||
      !secretsEqual(presented, expected)
    ) {
      return c.json({
        ok: false,
        error:
          'Unauthorized: send the hooks token as "Authorization: Bearer <token>" or "X-Carapace-Token"',
      }, 401);
    }
    await next();
  };
}
