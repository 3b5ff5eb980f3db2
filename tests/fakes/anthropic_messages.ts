/**
 * The Anthropic Messages streaming wire format for {@linkcode startLlmPeer}:
 * SSE with `event:` lines, content blocks, `input_json_delta` tool input,
 * `message_delta` usage and `event: error` frames.
 *
 * @module
 */
import { bytes, type WireEncoder } from "./llm_peer.ts";

/** One SSE frame. */
export function sse(event: string, data: unknown): Uint8Array {
  return bytes(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

function start(model: unknown): Uint8Array {
  return sse("message_start", {
    type: "message_start",
    message: {
      id: "msg_fake",
      type: "message",
      role: "assistant",
      model,
      content: [],
      stop_reason: null,
      usage: { input_tokens: 0, output_tokens: 1 },
    },
  });
}

function textBlock(index: number, text: string[]): Uint8Array[] {
  if (text.length === 0) return [];
  return [
    sse("content_block_start", {
      type: "content_block_start",
      index,
      content_block: { type: "text", text: "" },
    }),
    ...text.map((t) =>
      sse("content_block_delta", {
        type: "content_block_delta",
        index,
        delta: { type: "text_delta", text: t },
      })
    ),
    sse("content_block_stop", { type: "content_block_stop", index }),
  ];
}

/** Anthropic Messages SSE. */
export const anthropicWire: WireEncoder = {
  contentType: "text/event-stream",
  partial(text, request) {
    const frames = [
      start((request.body as { model?: string }).model),
      ...textBlock(0, text),
    ];
    return frames.slice(0, text.length > 0 ? -1 : undefined);
  },
  frames(turn, request) {
    const text = turn.text ?? [];
    const frames = [
      start((request.body as { model?: string }).model),
      sse("ping", { type: "ping" }),
    ];
    frames.push(...textBlock(0, text));
    let index = text.length > 0 ? 1 : 0;
    for (const call of turn.toolCalls ?? []) {
      const json = JSON.stringify(call.input);
      const half = Math.floor(json.length / 2);
      frames.push(
        sse("content_block_start", {
          type: "content_block_start",
          index,
          content_block: {
            type: "tool_use",
            id: call.id,
            name: call.name,
            input: {},
          },
        }),
        ...[json.slice(0, half), json.slice(half)].map((partial_json) =>
          sse("content_block_delta", {
            type: "content_block_delta",
            index,
            delta: { type: "input_json_delta", partial_json },
          })
        ),
        sse("content_block_stop", { type: "content_block_stop", index }),
      );
      index++;
    }
    const stop = turn.toolCalls?.length ? "tool_use" : "end_turn";
    frames.push(
      sse("message_delta", {
        type: "message_delta",
        delta: { stop_reason: stop, stop_sequence: null },
        usage: {
          input_tokens: turn.usage?.input ?? 0,
          output_tokens: turn.usage?.output ?? 0,
        },
      }),
      sse("message_stop", { type: "message_stop" }),
    );
    return frames;
  },
  malformed: () =>
    bytes(
      `event: content_block_delta\ndata: {"type":"content_block_delta",\n\n`,
    ),
  streamError: (errorType, message) =>
    sse("error", { type: "error", error: { type: errorType, message } }),
  errorBody: (status, message) => ({
    type: "error",
    error: {
      type: status === 401
        ? "authentication_error"
        : status === 404
        ? "not_found_error"
        : status === 429
        ? "rate_limit_error"
        : status === 529
        ? "overloaded_error"
        : "api_error",
      message,
    },
  }),
};
