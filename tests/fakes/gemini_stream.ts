/**
 * The Gemini `streamGenerateContent?alt=sse` wire format for
 * {@linkcode startLlmPeer}: `data: {GenerateContentResponse}` lines with
 * text and `functionCall` parts, `finishReason` and `usageMetadata`; errors
 * in Google's `{error: {code, message, status, details}}` shape with
 * `RetryInfo.retryDelay` on 429.
 *
 * @module
 */
import { bytes, type WireEncoder } from "./llm_peer.ts";

function data(
  parts: unknown[],
  extra: Record<string, unknown> = {},
): Uint8Array {
  const candidate = { content: { role: "model", parts }, index: 0, ...extra };
  return bytes(
    `data: ${
      JSON.stringify({ candidates: [candidate], modelVersion: "fake-model" })
    }\r\n\r\n`,
  );
}

const STATUS: Record<number, string> = {
  401: "UNAUTHENTICATED",
  404: "NOT_FOUND",
  429: "RESOURCE_EXHAUSTED",
  503: "UNAVAILABLE",
};

/** Gemini SSE. */
export const geminiStreamWire: WireEncoder = {
  contentType: "text/event-stream",
  partial: (text) => text.map((t) => data([{ text: t }])),
  frames(turn) {
    const frames = (turn.text ?? []).map((t) => data([{ text: t }]));
    const calls = (turn.toolCalls ?? []).map((c) => ({
      functionCall: { name: c.name, args: c.input },
    }));
    const last = bytes(`data: ${
      JSON.stringify({
        candidates: [{
          content: {
            role: "model",
            parts: calls.length ? calls : [{ text: "" }],
          },
          finishReason: "STOP",
        }],
        usageMetadata: {
          promptTokenCount: turn.usage?.input ?? 0,
          candidatesTokenCount: turn.usage?.output ?? 0,
          totalTokenCount: (turn.usage?.input ?? 0) + (turn.usage?.output ?? 0),
        },
      })
    }\r\n\r\n`);
    return [...frames, last];
  },
  malformed: () => bytes(`data: {"candidates":[{"content":\r\n\r\n`),
  errorBody: (status, message) => ({
    error: {
      code: status,
      message,
      status: STATUS[status] ?? "INTERNAL",
      ...(status === 429
        ? {
          details: [{
            "@type": "type.googleapis.com/google.rpc.RetryInfo",
            retryDelay: "2s",
          }],
        }
        : {}),
    },
  }),
};
