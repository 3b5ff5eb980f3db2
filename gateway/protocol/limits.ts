/**
 * The transport limits of the WebSocket protocol (protocol.md §1) and their
 * defaults; `gateway.ws.*` config overrides a few of them.
 *
 * @module
 */

/** Decoded text frames larger than this close the socket (1008). */
export const MAX_PAYLOAD_BYTES = 524_288;
/** Serialized broadcast frames larger than this are dropped or truncated. */
export const MAX_BROADCAST_FRAME_BYTES = 1_048_576;
/** Outbound backlog (socket buffer + pending frames) before a slow consumer is closed. */
export const MAX_BUFFERED_BYTES = 1_572_864;
/** Outbound frames waiting for the socket before a slow consumer is closed. */
export const MAX_PENDING_FRAMES = 256;

/** Every tunable limit of the WS gateway. */
export interface WsLimits {
  maxConnections: number;
  maxPerIp: number;
  maxJsonDepth: number;
  /** Token bucket refill per second. */
  messageRate: number;
  messageBurst: number;
  /** Consecutive refused messages before the socket is closed. */
  rateStrikes: number;
  maxPayloadBytes: number;
  maxBufferedBytes: number;
  maxPendingFrames: number;
  maxBroadcastFrameBytes: number;
  handshakeTimeoutMs: number;
  tickIntervalMs: number;
}

/** The protocol defaults (protocol.md §1). */
export const DEFAULT_WS_LIMITS: Readonly<WsLimits> = Object.freeze({
  maxConnections: 1024,
  maxPerIp: 32,
  maxJsonDepth: 32,
  messageRate: 60,
  messageBurst: 120,
  rateStrikes: 3,
  maxPayloadBytes: MAX_PAYLOAD_BYTES,
  maxBufferedBytes: MAX_BUFFERED_BYTES,
  maxPendingFrames: MAX_PENDING_FRAMES,
  maxBroadcastFrameBytes: MAX_BROADCAST_FRAME_BYTES,
  handshakeTimeoutMs: 10_000,
  tickIntervalMs: 30_000,
});

/** Defaults overridden by `overrides` (e.g. the `gateway.ws` config section). */
export function wsLimits(overrides: Partial<WsLimits> = {}): WsLimits {
  const limits = { ...DEFAULT_WS_LIMITS };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (typeof value !== "number" || !(value > 0)) {
      throw new RangeError(
        `Configure the WebSocket limits failed: "${key}" is "${value}", expected a positive number`,
      );
    }
    limits[key as keyof WsLimits] = value;
  }
  return limits;
}

/** UTF-8 byte length of `text`, without encoding it when the length decides. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
