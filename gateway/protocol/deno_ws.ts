/**
 * The runtime edge of the WS route: `Deno.upgradeWebSocket` and its events,
 * handed to a runtime-free session.
 *
 * @module
 */
import type { WsSocket } from "./connection.ts";
import type { SessionEvents } from "./ws_session.ts";

/**
 * Upgrades `request` and connects the socket's events to the session that
 * `start(socket)` returns. Returns the `101` response for the HTTP layer.
 */
export function upgradeToSession(
  request: Request,
  start: (socket: WsSocket) => SessionEvents,
): Response {
  const { socket, response } = Deno.upgradeWebSocket(request);
  socket.binaryType = "arraybuffer";
  const session = start(socket);
  socket.onopen = () => session.open();
  socket.onmessage = (event) => session.message(event.data);
  socket.onclose = () => session.close();
  socket.onerror = () => session.close();
  return response;
}
