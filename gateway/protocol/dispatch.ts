/**
 * Dispatches one request after the handshake: authorization first, then
 * the registered handler with an AbortSignal tied to the connection.
 *
 * @module
 */
import { authorize } from "./authorize.ts";
import type { Connection } from "./connection.ts";
import { ProtocolError } from "./errors.ts";
import { replyError, replyOk } from "./reply.ts";
import type { SessionDeps } from "./session_deps.ts";
import type { ConnectionInfo, RequestFrame } from "./types.ts";

/** Answers `frame` on `conn` (which has completed the handshake). Never throws. */
export async function dispatchRequest(
  conn: Connection,
  info: ConnectionInfo,
  frame: RequestFrame,
  deps: SessionDeps,
): Promise<void> {
  if (frame.method === "connect") {
    replyError(
      conn,
      frame.id,
      new ProtocolError("invalid_request", "connect already completed"),
    );
    return;
  }
  const definition = deps.registry.get(frame.method);
  const refused = authorize(frame.method, definition, info);
  if (refused !== null || definition === undefined) {
    replyError(conn, frame.id, refused!);
    return;
  }
  const after: (() => void)[] = [];
  try {
    const payload = await definition.handler({
      conn: info,
      params: frame.params,
      // A getter: the signal is made only for the handlers that use it.
      get signal() {
        return conn.signal;
      },
      events: deps.hub,
      afterReply: (fn) => after.push(fn),
    });
    replyOk(conn, frame.id, payload);
  } catch (error) {
    if (error instanceof ProtocolError) {
      replyError(conn, frame.id, error);
      return;
    }
    deps.logger.error("ws method failed", {
      method: frame.method,
      connId: conn.connId,
      error,
    });
    replyError(
      conn,
      frame.id,
      new ProtocolError(
        "unavailable",
        `method '${frame.method}' failed: internal error; see the gateway log`,
      ),
    );
  } finally {
    for (const fn of after) fn();
  }
}
