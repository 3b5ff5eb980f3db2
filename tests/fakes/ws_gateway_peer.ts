/**
 * A loopback peer that speaks the gateway's WebSocket handshake: it sends
 * `connect.challenge`, records the `connect` params, answers `hello-ok` (or a
 * configured refusal) and then answers requests from a table.
 *
 * @module
 */

/** Options of {@linkcode startWsGatewayPeer}. */
export interface WsGatewayPeerOptions {
  cert?: string;
  key?: string;
  /** Answer `connect` with this error instead of hello-ok. */
  refuseConnect?: { code: string; message: string; details?: unknown };
  /** method → payload. */
  methods?: Record<string, unknown>;
}

/** A running peer. */
export interface WsGatewayPeer extends AsyncDisposable {
  port: number;
  /** Frames received, in order. */
  received: Record<string, unknown>[];
  nonces: string[];
}

/** Starts the peer on 127.0.0.1 and a free port. */
export function startWsGatewayPeer(
  options: WsGatewayPeerOptions = {},
): WsGatewayPeer {
  const received: Record<string, unknown>[] = [];
  const nonces: string[] = [];
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen() {},
    ...(options.cert && options.key
      ? { cert: options.cert, key: options.key }
      : {}),
  }, (request) => {
    if (new URL(request.url).pathname !== "/ws") {
      return new Response("not found", { status: 404 });
    }
    const { socket, response } = Deno.upgradeWebSocket(request);
    socket.onopen = () => {
      const nonce = crypto.randomUUID();
      nonces.push(nonce);
      socket.send(JSON.stringify({
        type: "event",
        event: "connect.challenge",
        payload: { nonce, ts: Date.now() },
      }));
    };
    socket.onmessage = (event) => {
      const frame = JSON.parse(String(event.data));
      received.push(frame);
      if (frame.method === "connect") {
        if (options.refuseConnect) {
          socket.send(JSON.stringify({
            type: "res",
            id: frame.id,
            ok: false,
            error: { ...options.refuseConnect, retryable: false },
          }));
          socket.close(1008, options.refuseConnect.message);
          return;
        }
        socket.send(JSON.stringify({
          type: "res",
          id: frame.id,
          ok: true,
          payload: { type: "hello-ok", protocol: 3 },
        }));
        socket.send(
          JSON.stringify({
            type: "event",
            event: "tick",
            payload: { ts: 1 },
            seq: 1,
          }),
        );
        return;
      }
      const methods = options.methods ?? {};
      socket.send(JSON.stringify(
        frame.method in methods
          ? {
            type: "res",
            id: frame.id,
            ok: true,
            payload: methods[frame.method],
          }
          : {
            type: "res",
            id: frame.id,
            ok: false,
            error: {
              code: "invalid_request",
              message: "unknown method",
              retryable: false,
            },
          },
      ));
    };
    return response;
  });
  return {
    port: server.addr.port,
    received,
    nonces,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}
