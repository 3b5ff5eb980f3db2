/**
 * Writes response frames to a connection.
 *
 * @module
 */
import type { Connection } from "./connection.ts";
import type { ProtocolError } from "./errors.ts";

/** Sends `{type:"res", id, ok:true, payload}` (`undefined` becomes `null`). */
export function replyOk(conn: Connection, id: string, payload: unknown): void {
  conn.send({ type: "res", id, ok: true, payload: payload ?? null });
}

/** Sends `{type:"res", id, ok:false, error}`. */
export function replyError(
  conn: Connection,
  id: string,
  error: ProtocolError,
): void {
  conn.send({ type: "res", id, ok: false, error: error.toShape() });
}
