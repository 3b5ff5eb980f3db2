/**
 * Ollama's `/api/chat` NDJSON stream for {@linkcode startLlmPeer}: one JSON
 * object per line, tool calls with object arguments, a final `done` line with
 * token counts.
 *
 * @module
 */
import { bytes, type WireEncoder } from "./llm_peer.ts";

function line(value: Record<string, unknown>): Uint8Array {
  return bytes(
    `${
      JSON.stringify({
        model: "fake-model",
        created_at: "2025-01-01T00:00:00Z",
        ...value,
      })
    }\n`,
  );
}

function text(t: string): Uint8Array {
  return line({ message: { role: "assistant", content: t }, done: false });
}

/** Ollama NDJSON. */
export const ollamaChatWire: WireEncoder = {
  contentType: "application/x-ndjson",
  partial: (parts) => parts.map(text),
  frames(turn) {
    const frames = (turn.text ?? []).map(text);
    if (turn.toolCalls?.length) {
      frames.push(line({
        message: {
          role: "assistant",
          content: "",
          tool_calls: turn.toolCalls.map((c) => ({
            function: { name: c.name, arguments: c.input },
          })),
        },
        done: false,
      }));
    }
    frames.push(line({
      message: { role: "assistant", content: "" },
      done: true,
      done_reason: "stop",
      prompt_eval_count: turn.usage?.input ?? 0,
      eval_count: turn.usage?.output ?? 0,
    }));
    return frames;
  },
  malformed: () => bytes(`{"model":"fake-model","message":{"content":\n`),
  errorBody: (_status, message) => ({ error: message }),
};
