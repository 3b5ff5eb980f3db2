/**
 * The peer address of a request, as `serveGateway` hands it to Hono.
 *
 * `Deno.serve` passes its `ServeHandlerInfo` as Hono's `env`, so
 * `c.env.remoteAddr` is the TCP peer. Proxy headers are never trusted here.
 *
 * @module
 */
import type { Context } from "hono";

/** What `serveGateway` passes as Hono bindings for every request. */
export interface GatewayBindings {
  remoteAddr?: Deno.Addr;
}

/** The Hono environment of gateway apps. */
export interface GatewayEnv {
  Bindings: GatewayBindings;
}

/** Resolves the client address of a request, or `undefined` when unknown. */
export type ClientAddressResolver = (
  c: Context<GatewayEnv>,
) => string | undefined;

/** The TCP peer's IP address, or `undefined` for in-process requests. */
export function remoteAddress(c: Context<GatewayEnv>): string | undefined {
  // `app.request()` in tests passes no bindings at all.
  const addr = (c.env as GatewayBindings | undefined)?.remoteAddr;
  return addr !== undefined && addr.transport === "tcp"
    ? addr.hostname
    : undefined;
}
