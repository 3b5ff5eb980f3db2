/**
 * Bedrock's `invoke-with-response-stream` wire format for
 * {@linkcode startLlmPeer}: `application/vnd.amazon.eventstream` binary
 * messages (prelude with total and headers length + CRC32, typed headers,
 * payload, message CRC32). Each `chunk` event carries
 * `{"bytes": base64(<Anthropic Messages stream event>)}`; in-stream failures
 * are `:message-type: exception` messages; HTTP errors are `{"message"}`.
 *
 * @module
 */
import { anthropicWire } from "./anthropic_messages.ts";
import type { WireEncoder } from "./llm_peer.ts";

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 (IEEE) of `data`. */
export function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** One event-stream message with string headers. */
export function eventMessage(
  headers: Record<string, string>,
  payload: Uint8Array,
): Uint8Array {
  const encoder = new TextEncoder();
  const headerBytes: number[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const n = encoder.encode(name);
    const v = encoder.encode(value);
    headerBytes.push(n.length, ...n, 7, v.length >> 8, v.length & 0xff, ...v);
  }
  const total = 12 + headerBytes.length + payload.length + 4;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, total);
  view.setUint32(4, headerBytes.length);
  view.setUint32(8, crc32(out.subarray(0, 8)));
  out.set(headerBytes, 12);
  out.set(payload, 12 + headerBytes.length);
  view.setUint32(total - 4, crc32(out.subarray(0, total - 4)));
  return out;
}

function base64(text: string): string {
  return btoa(String.fromCodePoint(...new TextEncoder().encode(text)));
}

/** A `chunk` event wrapping one Anthropic stream event. */
export function chunkMessage(event: Record<string, unknown>): Uint8Array {
  const payload = JSON.stringify({
    bytes: base64(JSON.stringify(event)),
    p: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ",
  });
  return eventMessage({
    ":event-type": "chunk",
    ":content-type": "application/json",
    ":message-type": "event",
  }, new TextEncoder().encode(payload));
}

/** Re-frames Anthropic SSE frames as event-stream chunks, as Bedrock does. */
function reframe(sseFrames: Uint8Array[]): Uint8Array[] {
  return sseFrames.flatMap((frame) => {
    const data = /^data: (.*)$/m.exec(new TextDecoder().decode(frame))?.[1];
    if (data === undefined) return [];
    const event = JSON.parse(data) as Record<string, unknown>;
    if (event.type === "ping") return [];
    if (event.type === "message_stop") {
      event["amazon-bedrock-invocationMetrics"] = {
        inputTokenCount: 0,
        outputTokenCount: 0,
        invocationLatency: 1,
        firstByteLatency: 1,
      };
    }
    return [chunkMessage(event)];
  });
}

/** Bedrock InvokeModelWithResponseStream (Anthropic models). */
export const bedrockStreamWire: WireEncoder = {
  contentType: "application/vnd.amazon.eventstream",
  frames: (turn, request) => reframe(anthropicWire.frames(turn, request)),
  partial: (text, request) => reframe(anthropicWire.partial(text, request)),
  malformed() {
    const frame = chunkMessage({ type: "ping" });
    frame[frame.length - 1]! ^= 0xff; // the message CRC no longer matches
    return frame;
  },
  streamError: (exceptionType, message) =>
    eventMessage({
      ":exception-type": exceptionType,
      ":content-type": "application/json",
      ":message-type": "exception",
    }, new TextEncoder().encode(JSON.stringify({ message }))),
  errorBody: (_status, message) => ({ message }),
};
