/**
 * The `GET /ws` route: admission limits as plain HTTP refusals, then the
 * upgrade into a protocol session.
 *
 * Refusals happen BEFORE the upgrade: over `gateway.ws.maxConnections` →
 * HTTP 503, over `gateway.ws.maxPerIp` → HTTP 429, each a JSON body and a
 * `Retry-After` header. A refused client never holds a socket.
 *
 * @module
 */
import type { Context } from "hono";
import { type GatewayEnv, remoteAddress } from "../server/client_address.ts";
import { upgradeToSession } from "./deno_ws.ts";
import type { SessionDeps } from "./session_deps.ts";
import { openSession } from "./ws_session.ts";

/**
 * The request headers the `connect` decision reads: Host and the forwarding
 * headers (local-direct rule) and the Tailscale identity headers. Copied at
 * upgrade time because Deno closes the request, headers included, once
 * upgraded; copying only these is a third of the cost of copying all.
 */
export const HANDSHAKE_HEADERS: readonly string[] = [
  "host",
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-real-ip",
  "tailscale-user-login",
  "x-tailscale-user",
];

function handshakeHeaders(raw: Headers): Headers {
  const headers = new Headers();
  for (const name of HANDSHAKE_HEADERS) {
    const value = raw.get(name);
    if (value !== null) headers.set(name, value);
  }
  return headers;
}

/**
 * Serves a WebSocket upgrade request from `remoteIp`: a refusal as plain
 * HTTP when the hub is full, else the 101 that starts a session.
 */
export type WsUpgrade = (request: Request, remoteIp: string) => Response;

/**
 * Builds the upgrade handler of `GET /ws` (the request must carry
 * `Upgrade: websocket`).
 */
export function wsUpgrade(deps: SessionDeps): WsUpgrade {
  return function upgrade(request, remoteIp) {
    const refusal = deps.hub.refusal(remoteIp);
    if (refusal !== null) {
      deps.logger.info("ws connection refused", {
        remoteIp,
        reason: refusal.message,
      });
      return Response.json({
        ok: false,
        error: `Open WebSocket connection failed: ${refusal.message}`,
      }, { status: refusal.status, headers: { "Retry-After": "5" } });
    }
    const headers = handshakeHeaders(request.headers);
    return upgradeToSession(
      request,
      (socket) => openSession(socket, deps, { remoteIp, headers }),
    );
  };
}

/**
 * Builds the Hono handler for `GET /ws`: 426 without an upgrade, else
 * {@linkcode wsUpgrade}.
 *
 * @example
 * ```ts
 * const app = createGatewayApp({ ...options, routes: (app) => app.get("/ws", wsRoute(deps)) });
 * ```
 */
export function wsRoute(
  deps: SessionDeps,
  upgrade: WsUpgrade = wsUpgrade(deps),
): (c: Context<GatewayEnv>) => Response {
  return function ws(c) {
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
      return c.json({
        ok: false,
        error:
          "Open WebSocket connection failed: this endpoint needs a WebSocket upgrade; connect with a WebSocket client",
      }, 426);
    }
    return upgrade(c.req.raw, remoteAddress(c) ?? "unknown");
  };
}
