/**
 * The OpenAI chat completions streaming wire format for
 * {@linkcode startLlmPeer}: `data: {chunk}` SSE lines, fragmented
 * `tool_calls` deltas by index, a final usage chunk and `data: [DONE]`.
 *
 * @module
 */
import { bytes, type WireEncoder } from "./llm_peer.ts";

function chunk(
  delta: Record<string, unknown>,
  finish: string | null = null,
): Uint8Array {
  return data({
    id: "chatcmpl-fake",
    object: "chat.completion.chunk",
    created: 1,
    model: "fake-model",
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
}

function data(value: unknown): Uint8Array {
  return bytes(`data: ${JSON.stringify(value)}\n\n`);
}

/** OpenAI chat completions SSE. */
export const openaiChatWire: WireEncoder = {
  contentType: "text/event-stream",
  partial: (
    text,
  ) => [
    chunk({ role: "assistant", content: "" }),
    ...text.map((t) => chunk({ content: t })),
  ],
  frames(turn) {
    const frames = [
      chunk({ role: "assistant", content: "" }),
      ...(turn.text ?? []).map((t) => chunk({ content: t })),
    ];
    (turn.toolCalls ?? []).forEach((call, index) => {
      const args = JSON.stringify(call.input);
      const half = Math.floor(args.length / 2);
      frames.push(
        chunk({
          tool_calls: [{
            index,
            id: call.id,
            type: "function",
            function: { name: call.name, arguments: "" },
          }],
        }),
        chunk({
          tool_calls: [{ index, function: { arguments: args.slice(0, half) } }],
        }),
        chunk({
          tool_calls: [{ index, function: { arguments: args.slice(half) } }],
        }),
      );
    });
    frames.push(chunk({}, turn.toolCalls?.length ? "tool_calls" : "stop"));
    frames.push(data({
      id: "chatcmpl-fake",
      object: "chat.completion.chunk",
      created: 1,
      model: "fake-model",
      choices: [],
      usage: {
        prompt_tokens: turn.usage?.input ?? 0,
        completion_tokens: turn.usage?.output ?? 0,
        total_tokens: (turn.usage?.input ?? 0) + (turn.usage?.output ?? 0),
      },
    }));
    frames.push(bytes("data: [DONE]\n\n"));
    return frames;
  },
  malformed: () =>
    bytes(`data: {"id":"chatcmpl-fake","choices":[{"delta":\n\n`),
  errorBody: (status, message) => ({
    error: {
      message,
      type: status === 401
        ? "invalid_request_error"
        : status === 429
        ? "rate_limit_error"
        : "server_error",
      code: status === 401
        ? "invalid_api_key"
        : status === 404
        ? "model_not_found"
        : null,
    },
  }),
};
