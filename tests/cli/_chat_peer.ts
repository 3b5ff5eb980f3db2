/**
 * A loopback gateway peer for `cara chat` / `cara verify` tests: the WS
 * handshake, `chat.send` answered with a run id followed by streamed `agent`
 * events (text deltas, a tool use, final) and a `chat` final, `chat.abort`,
 * `GET /health` and `POST /hooks/wake`.
 *
 * @module
 */

/** A running peer. */
export interface ChatPeer extends AsyncDisposable {
  port: number;
  /** Request frames received after connect. */
  received: { method: string; params: Record<string, unknown> }[];
  wakes: number;
}

/** Starts the peer; `reply` is streamed as deltas, `queued` answers chat.send as queued. */
export function startChatPeer(
  options: { reply?: string[]; queued?: boolean; hang?: boolean } = {},
): ChatPeer {
  const peer = { received: [] as ChatPeer["received"], wakes: 0 };
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (request) => {
      const path = new URL(request.url).pathname;
      if (path === "/health") return Response.json({ status: "ok" });
      if (path === "/hooks/wake") {
        peer.wakes++;
        return Response.json({ ok: true, mode: "now" });
      }
      const { socket, response } = Deno.upgradeWebSocket(request);
      let seq = 0;
      const send = (frame: unknown) =>
        socket.readyState === WebSocket.OPEN &&
        socket.send(JSON.stringify(frame));
      const event = (name: string, payload: unknown) =>
        send({ type: "event", event: name, payload, seq: ++seq });
      socket.onopen = () =>
        event("connect.challenge", {
          nonce: crypto.randomUUID(),
          ts: Date.now(),
        });
      socket.onmessage = async (message) => {
        const frame = JSON.parse(String(message.data));
        const ok = (payload: unknown) =>
          send({ type: "res", id: frame.id, ok: true, payload });
        if (frame.method === "connect") {
          return ok({
            type: "hello-ok",
            protocol: 3,
          });
        }
        peer.received.push({
          method: frame.method,
          params: frame.params ?? {},
        });
        if (frame.method === "chat.send") {
          if (options.queued) {
            return ok({
              status: "queued",
              sessionKey: frame.params.sessionKey,
            });
          }
          const runId = `run-${peer.received.length}`;
          const base = { runId, ts: Date.now() };
          // An event before the reply: the client must buffer it.
          event("agent", {
            ...base,
            seq: 0,
            stream: "text",
            data: { delta: (options.reply ?? ["Hello", ", world"])[0] },
          });
          ok({
            runId,
            status: "accepted",
            sessionKey: frame.params.sessionKey,
            streaming: true,
          });
          if (options.hang) return;
          event("agent", {
            ...base,
            seq: 1,
            stream: "tool_use",
            data: { name: "echo" },
          });
          for (
            const [i, delta] of (options.reply ?? ["Hello", ", world"]).slice(1)
              .entries()
          ) {
            await new Promise((r) => setTimeout(r, 5));
            event("agent", {
              ...base,
              seq: i + 2,
              stream: "text",
              data: { delta },
            });
          }
          event("agent", { ...base, seq: 99, stream: "final", data: {} });
          event("chat", {
            runId,
            sessionKey: frame.params.sessionKey,
            seq: 100,
            state: "final",
          });
          return;
        }
        if (frame.method === "chat.abort") {
          ok({ ok: true, aborted: true, runIds: [frame.params.runId] });
          event("agent", {
            runId: frame.params.runId,
            ts: Date.now(),
            seq: 1,
            stream: "error",
            data: { message: "aborted" },
          });
          return;
        }
        if (frame.method === "sessions.patch") return ok({ ok: true });
        send({
          type: "res",
          id: frame.id,
          ok: false,
          error: {
            code: "invalid_request",
            message: "unknown method",
            retryable: false,
          },
        });
      };
      return response;
    },
  );
  return {
    port: server.addr.port,
    get received() {
      return peer.received;
    },
    get wakes() {
      return peer.wakes;
    },
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}
