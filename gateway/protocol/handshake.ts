/**
 * Completes a `connect`: validates params, asks the authenticator, and
 * answers `hello-ok` (protocol.md §3) or an error followed by a close.
 *
 * @module
 */
import { connectParams } from "./connect_params.ts";
import type { Connection } from "./connection.ts";
import { ProtocolError } from "./errors.ts";
import { replyError, replyOk } from "./reply.ts";
import type { SessionDeps } from "./session_deps.ts";
import {
  type ConnectGrant,
  type ConnectionInfo,
  PROTOCOL_VERSION,
  type RequestFrame,
} from "./types.ts";

/**
 * Runs the handshake for the `connect` frame `frame` on `conn`. Never throws:
 * every failure is answered on the socket and closes it.
 */
export async function completeHandshake(
  conn: Connection,
  frame: RequestFrame,
  deps: SessionDeps,
): Promise<void> {
  conn.authenticating = true;
  try {
    const params = connectParams(frame.params);
    const grant = await deps.authenticate({
      params,
      nonce: conn.nonce,
      remoteIp: conn.remoteIp,
      headers: conn.headers,
      connId: conn.connId,
    });
    if (conn.closed) return;
    const info: ConnectionInfo = {
      connId: conn.connId,
      role: grant.role,
      scopes: [...grant.scopes],
      client: params.client,
      deviceId: grant.deviceId,
      remoteIp: conn.remoteIp,
      localDirect: grant.localDirect,
      connectedAtMs: Date.now(),
    };
    conn.info = info;
    replyOk(conn, frame.id, helloOk(info, grant, deps));
    deps.logger.info("ws client connected", {
      connId: conn.connId,
      client: params.client.id,
      role: grant.role,
      method: grant.method,
      remoteIp: conn.remoteIp,
    });
    deps.onConnected?.(info);
  } catch (error) {
    if (error instanceof ProtocolError) {
      replyError(conn, frame.id, error);
      const code = "closeCode" in error && typeof error.closeCode === "number"
        ? error.closeCode
        : 1008;
      conn.close(code, error.message);
      deps.logger.info("ws connect refused", {
        connId: conn.connId,
        remoteIp: conn.remoteIp,
        reason: error.message,
      });
      return;
    }
    deps.logger.error("ws connect failed", { connId: conn.connId, error });
    replyError(
      conn,
      frame.id,
      new ProtocolError(
        "unavailable",
        "connect failed: internal error; see the gateway log",
      ),
    );
    conn.close(1011, "internal error");
  } finally {
    conn.authenticating = false;
  }
}

function helloOk(
  info: ConnectionInfo,
  grant: ConnectGrant,
  deps: SessionDeps,
): Record<string, unknown> {
  const limits = deps.hub.limits;
  const state = deps.snapshot?.(info) ?? { presence: [], health: {} };
  const hello: Record<string, unknown> = {
    type: "hello-ok",
    protocol: PROTOCOL_VERSION,
    server: {
      version: deps.server.version,
      ...(deps.server.commit ? { commit: deps.server.commit } : {}),
      host: deps.server.host,
      connId: info.connId,
    },
    features: {
      methods: deps.registry.names(),
      events: deps.registry.events(),
    },
    snapshot: {
      presence: state.presence,
      health: state.health,
      stateVersion: deps.hub.stateVersion(),
      uptimeMs: Math.floor(deps.uptimeMs()),
    },
    policy: {
      maxPayload: limits.maxPayloadBytes,
      maxBroadcastPayload: limits.maxBroadcastFrameBytes,
      maxBufferedBytes: limits.maxBufferedBytes,
      tickIntervalMs: limits.tickIntervalMs,
    },
  };
  if (grant.deviceToken !== undefined) {
    hello.auth = {
      deviceToken: grant.deviceToken.token,
      role: grant.role,
      scopes: [...grant.scopes],
      issuedAtMs: grant.deviceToken.issuedAtMs,
    };
  }
  return hello;
}
