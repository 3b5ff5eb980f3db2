/**
 * One chat turn over WS (cli.md `cara chat`): `chat.send` with streaming,
 * then the run's `agent`/`chat` events until a final or error state.
 * Shared by `cara chat` and `cara verify --outcome local-chat`.
 *
 * @module
 */
import type { GatewayClient, GatewayEvent } from "./client/ws_client.ts";

/** Options of {@linkcode runChatTurn}. */
export interface ChatTurnOptions {
  message: string;
  sessionKey: string;
  /** Text deltas as they stream. */
  onText?: (delta: string) => void;
  /** Tool use/result notices. */
  onTool?: (name: string) => void;
  /** Aborting sends `chat.abort {runId, reason:"user_interrupt"}`. */
  signal?: AbortSignal;
  /** Give up waiting for the final state after this long (default 10 min). */
  timeoutMs?: number;
}

/** How a turn ended. */
export interface ChatTurnResult {
  status: "final" | "error" | "queued" | "aborted" | "timeout";
  runId?: string;
  text: string;
  error?: string;
}

interface RunEvent {
  runId?: unknown;
  stream?: unknown;
  state?: unknown;
  data?: { delta?: unknown; name?: unknown; message?: unknown };
  errorMessage?: unknown;
}

/**
 * Sends one message and streams the reply.
 *
 * @example
 * ```ts
 * const result = await runChatTurn(client, { message: "hi", sessionKey: "cli-chat", onText: (d) => out(d) });
 * ```
 */
export async function runChatTurn(
  client: GatewayClient,
  options: ChatTurnOptions,
): Promise<ChatTurnResult> {
  const buffered: GatewayEvent[] = [];
  let runId: string | undefined;
  let text = "";
  let settle: (result: ChatTurnResult) => void = () => {};
  const done = new Promise<ChatTurnResult>((resolve) => settle = resolve);
  const handle = (event: GatewayEvent) => {
    if (event.event !== "agent" && event.event !== "chat") return;
    if (runId === undefined) return void buffered.push(event);
    const p = (event.payload ?? {}) as RunEvent;
    if (p.runId !== runId) return;
    if (event.event === "agent") {
      if (p.stream === "text" && typeof p.data?.delta === "string") {
        text += p.data.delta;
        options.onText?.(p.data.delta);
      } else if (p.stream === "tool_use" || p.stream === "tool_result") {
        if (p.stream === "tool_use") {
          options.onTool?.(String(p.data?.name ?? "?"));
        }
      } else if (p.stream === "error") {
        settle({
          status: "error",
          runId,
          text,
          error: String(p.data?.message ?? "unknown error"),
        });
      } else if (p.stream === "final") settle({ status: "final", runId, text });
    } else if (p.state === "final") settle({ status: "final", runId, text });
    else if (p.state === "error") {
      settle({
        status: "error",
        runId,
        text,
        error: String(p.errorMessage ?? "unknown error"),
      });
    }
  };
  const off = client.onEvent(handle);
  const timeoutMs = options.timeoutMs ?? 600_000;
  const timer = setTimeout(
    () => settle({ status: "timeout", ...(runId ? { runId } : {}), text }),
    timeoutMs,
  );
  const onAbort = () => {
    if (runId === undefined) return;
    client.request(
      "chat.abort",
      { runId, reason: "user_interrupt" },
      `cli-chat-abort-${runId}`,
    )
      .catch(() => {})
      .finally(() =>
        settle({ status: "aborted", ...(runId ? { runId } : {}), text })
      );
  };
  try {
    const reply = await client.request("chat.send", {
      message: options.message,
      sessionKey: options.sessionKey,
      idempotencyKey: crypto.randomUUID(),
      stream: true,
      triggerAgent: true,
    }) as { runId?: unknown; status?: unknown };
    if (reply?.status === "queued" || typeof reply?.runId !== "string") {
      return { status: "queued", text: "" };
    }
    const id = reply.runId;
    runId = id;
    for (const event of buffered.splice(0)) handle(event);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    return await Promise.race([
      done,
      client.closed.then((): ChatTurnResult => ({
        status: "error",
        runId: id,
        text,
        error: "the gateway closed the connection",
      })),
    ]);
  } finally {
    clearTimeout(timer);
    off();
    options.signal?.removeEventListener("abort", onAbort);
  }
}
