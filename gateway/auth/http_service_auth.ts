/**
 * HTTP service auth (protocol.md §10): `Authorization: Bearer <token or
 * password>` checked like a WS connect, local-direct passes in mode none,
 * device tokens are not accepted, failures feed the failed-auth limiter.
 *
 * @module
 */
import type { Context, MiddlewareHandler, Next } from "hono";
import type { CaraConfig } from "../config/mod.ts";
import type { Env } from "../config/paths.ts";
import { type GatewayEnv, remoteAddress } from "../server/client_address.ts";
import { checkCredentials } from "./connect_credentials.ts";
import {
  type FailedAuthLimiter,
  tooManyFailuresMessage,
} from "./failed_auth_limiter.ts";
import { isLocalDirect } from "./local_direct.ts";
import { resolveServerCredentials } from "./server_credentials.ts";
import {
  tailscaleVerified,
  type TailscaleWhois,
  tailscaleWhois,
} from "./tailscale_auth.ts";

/** Options of {@linkcode serviceAuth}. */
export interface ServiceAuthOptions {
  /** The config in force (read per request, so reloads apply). */
  config: () => CaraConfig;
  env: Env;
  limiter: FailedAuthLimiter;
  /** Tailscale login lookup, used only when `gateway.auth.allowTailscale` is explicitly true. */
  whois?: TailscaleWhois;
}

const UNAUTHORIZED = {
  error: { message: "Unauthorized", type: "unauthorized" },
} as const;

function bearer(
  header: string | undefined,
): { token: string; password: string } | undefined {
  const match = header?.match(/^Bearer\s+(\S.{0,4095})$/i);
  const value = match?.[1]?.trim();
  return value === undefined ? undefined : { token: value, password: value };
}

/**
 * Middleware factory guarding HTTP service routes such as `/control/*`.
 *
 * @example
 * ```ts
 * app.use("/control/*", serviceAuth({ config: () => reloader.current.config, env, limiter }));
 * ```
 */
export function serviceAuth(
  options: ServiceAuthOptions,
): MiddlewareHandler<GatewayEnv> {
  const whois = options.whois ?? tailscaleWhois;
  return async function serviceAuthMiddleware(
    c: Context<GatewayEnv>,
    next: Next,
  ) {
    const config = options.config();
    // In-process requests (app.request in tests) have no TCP peer.
    const ip = remoteAddress(c) ?? "";
    const headers = c.req.raw.headers;
    const server = await resolveServerCredentials({ config, env: options.env });
    const localDirect = isLocalDirect(ip, headers);
    if (server.mode === "none" && localDirect) return await next();
    const wait = options.limiter.retryAfterMs(ip);
    if (wait > 0) {
      c.header("Retry-After", String(Math.ceil(wait / 1000)));
      return c.json({
        error: {
          message: tooManyFailuresMessage(wait),
          type: "rate_limited",
          retryAfterMs: wait,
        },
      }, 429);
    }
    if (
      config.gateway.auth.allowTailscale === true && !localDirect &&
      await tailscaleVerified(ip, headers, whois)
    ) return await next();
    // The same value is tried as token and as password: whichever the mode wants.
    const check = checkCredentials(
      server,
      bearer(c.req.header("authorization")),
    );
    if (!check.ok) {
      options.limiter.recordFailure(ip);
      return c.json(UNAUTHORIZED, 401);
    }
    return await next();
  };
}
