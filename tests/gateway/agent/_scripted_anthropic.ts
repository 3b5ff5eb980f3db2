/**
 * A scripted loopback peer speaking the Anthropic Messages streaming wire
 * format (`POST /v1/messages`, SSE `message_start` … `message_stop`), so the
 * agent tests drive the product's real Anthropic provider through its SDK.
 * Each request takes the next script from the queue; the requests' JSON
 * bodies are kept for assertions.
 *
 * @module
 */

/** One step of a scripted reply. */
export type ScriptStep =
  | { text: string }
  | { toolUse: { id: string; name: string; input: unknown } }
  | { waitMs: number }
  /** Stops sending without ending the stream (for abort and crash tests). */
  | { hang: true };

/** One scripted reply. */
export interface Script {
  steps: ScriptStep[];
  stopReason?: "end_turn" | "tool_use" | "max_tokens";
  usage?: { input: number; output: number };
}

/** A running peer; `await using` stops it. */
export interface ScriptedAnthropic extends AsyncDisposable {
  readonly origin: string;
  /** Request bodies received, in order. */
  readonly requests: Record<string, unknown>[];
  /** Streams the client closed before the end. */
  readonly cancelled: number;
  /** Queues replies (used in order; the last one repeats). */
  push(...scripts: Script[]): void;
}

const encoder = new TextEncoder();

function sse(event: string, data: Record<string, unknown>): Uint8Array {
  return encoder.encode(
    `event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`,
  );
}

function frames(script: Script): (Uint8Array | ScriptStep)[] {
  const usage = script.usage ?? { input: 10, output: 5 };
  const out: (Uint8Array | ScriptStep)[] = [
    sse("message_start", {
      message: {
        id: "msg_fake",
        type: "message",
        role: "assistant",
        model: "claude-fake",
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: usage.input, output_tokens: 0 },
      },
    }),
  ];
  let index = 0;
  for (const step of script.steps) {
    if ("text" in step) {
      out.push(
        sse("content_block_start", {
          index,
          content_block: { type: "text", text: "" },
        }),
        sse("content_block_delta", {
          index,
          delta: { type: "text_delta", text: step.text },
        }),
        sse("content_block_stop", { index }),
      );
      index++;
    } else if ("toolUse" in step) {
      const { id, name, input } = step.toolUse;
      out.push(
        sse("content_block_start", {
          index,
          content_block: { type: "tool_use", id, name, input: {} },
        }),
        sse("content_block_delta", {
          index,
          delta: {
            type: "input_json_delta",
            partial_json: JSON.stringify(input),
          },
        }),
        sse("content_block_stop", { index }),
      );
      index++;
    } else out.push(step);
  }
  out.push(
    sse("message_delta", {
      delta: {
        stop_reason: script.stopReason ?? "end_turn",
        stop_sequence: null,
      },
      usage: { output_tokens: usage.output },
    }),
    sse("message_stop", {}),
  );
  return out;
}

/** Starts the peer on 127.0.0.1, port 0. */
export function startScriptedAnthropic(): ScriptedAnthropic {
  const queue: Script[] = [];
  const requests: Record<string, unknown>[] = [];
  let cancelled = 0;
  const controller = new AbortController();
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    signal: controller.signal,
    onListen() {},
  }, async (request) => {
    requests.push(await request.json());
    const script = queue.length > 1 ? queue.shift()! : queue[0];
    if (script === undefined) {
      return Response.json({
        type: "error",
        error: { type: "api_error", message: "no script queued" },
      }, { status: 500 });
    }
    const parts = frames(script);
    let stop = false;
    const body = new ReadableStream<Uint8Array>({
      async pull(stream) {
        const part = parts.shift();
        if (part === undefined || stop) return stream.close();
        if (part instanceof Uint8Array) return stream.enqueue(part);
        if ("waitMs" in part) {
          await new Promise((resolve) => setTimeout(resolve, part.waitMs));
        } else if ("hang" in part) {
          await new Promise<void>((resolve) =>
            request.signal.addEventListener("abort", () => resolve(), {
              once: true,
            })
          );
        }
      },
      cancel() {
        stop = true;
        cancelled++;
      },
    });
    return new Response(body, {
      headers: { "content-type": "text/event-stream" },
    });
  });
  const { port } = server.addr;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    get cancelled() {
      return cancelled;
    },
    push: (...scripts) => queue.push(...scripts),
    async [Symbol.asyncDispose]() {
      controller.abort();
      await server.finished;
    },
  };
}
