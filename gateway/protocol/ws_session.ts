/**
 * One socket's protocol session: challenge, handshake timeout, rate limit,
 * frame rules, then dispatch. Runtime-free: the adapter feeds it events.
 *
 * @module
 */
import { Connection, type WsSocket } from "./connection.ts";
import { dispatchRequest } from "./dispatch.ts";
import { ProtocolError } from "./errors.ts";
import { type InboundDecision, parseInbound } from "./frames.ts";
import { completeHandshake } from "./handshake.ts";
import { replyError } from "./reply.ts";
import type { SessionDeps } from "./session_deps.ts";

/** What the runtime adapter calls. */
export interface SessionEvents {
  open(): void;
  message(data: unknown): void;
  /** The socket closed (either side) or failed. */
  close(): void;
}

const FIRST_MUST_BE_CONNECT =
  "invalid handshake: first request must be connect";

/**
 * Starts a session for a freshly upgraded socket and registers it with the
 * hub; call after `hub.refusal()` said yes.
 */
export function openSession(
  socket: WsSocket,
  deps: SessionDeps,
  peer: { remoteIp: string; headers: Headers },
): SessionEvents {
  const limits = deps.hub.limits;
  // Armed at upgrade time so a socket that never opens is still cleaned up.
  const timer = setTimeout(() => {
    if (conn.info === null) conn.close(1000, "");
  }, limits.handshakeTimeoutMs);
  const conn = new Connection(socket, {
    connId: crypto.randomUUID(),
    remoteIp: peer.remoteIp,
    headers: peer.headers,
    limits,
    ...(deps.clock === undefined ? {} : { clock: deps.clock }),
    onClosed: (closed) => {
      clearTimeout(timer);
      deps.hub.remove(closed);
      if (closed.info !== null) deps.onDisconnected?.(closed.info);
    },
  });
  deps.hub.add(conn);

  function onMessage(data: unknown): void {
    if (conn.closed) return;
    const waitMs = conn.takeToken();
    const decision = parseInbound(data, {
      maxPayloadBytes: limits.maxPayloadBytes,
      maxJsonDepth: limits.maxJsonDepth,
      handshakeDone: conn.info !== null,
    });
    if (decision.kind === "close") {
      conn.close(decision.code, decision.reason);
      return;
    }
    if (waitMs > 0) return limited(decision, waitMs);
    conn.strikes = 0;
    if (decision.kind === "reply") {
      replyError(conn, decision.id, decision.error);
      if (decision.close) conn.close(1008, decision.error.message);
      return;
    }
    const frame = decision.frame;
    if (conn.info !== null) {
      void dispatchRequest(conn, conn.info, frame, deps);
    } else if (conn.authenticating) {
      replyError(
        conn,
        frame.id,
        new ProtocolError(
          "invalid_request",
          "connect in progress: wait for its response before sending requests",
        ),
      );
    } else if (frame.method !== "connect") {
      replyError(
        conn,
        frame.id,
        new ProtocolError("invalid_request", FIRST_MUST_BE_CONNECT),
      );
      conn.close(1008, FIRST_MUST_BE_CONNECT);
    } else {
      void completeHandshake(conn, frame, deps).then(() => {
        if (conn.info !== null) clearTimeout(timer);
      });
    }
  }

  function limited(decision: InboundDecision, waitMs: number): void {
    const id = decision.kind === "request"
      ? decision.frame.id
      : decision.kind === "reply"
      ? decision.id
      : null;
    if (++conn.strikes >= limits.rateStrikes) {
      conn.close(1008, "rate limit exceeded");
      return;
    }
    if (id === null) return;
    replyError(
      conn,
      id,
      new ProtocolError(
        "rate_limited",
        `rate limit exceeded: at most ${limits.messageRate} messages per second (burst ${limits.messageBurst}); retry after ${waitMs} ms`,
        { details: { retryAfterMs: waitMs } },
      ),
    );
  }

  return {
    open() {
      if (conn.closed) {
        socket.close(conn.closeCode ?? 1000);
        return;
      }
      conn.send({
        type: "event",
        event: "connect.challenge",
        payload: { nonce: conn.nonce, ts: Date.now() },
      });
    },
    message: onMessage,
    close: () => conn.socketClosed(),
  };
}
