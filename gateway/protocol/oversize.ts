/**
 * What replaces a broadcast frame over the size cap: an `agent` truncation
 * marker, a `state.drop` marker for state kinds, or nothing (protocol.md §1).
 *
 * @module
 */

const ROUTING_KEYS = ["runId", "seq", "stream", "ts", "sessionKey"] as const;
const MAX_ROUTING_VALUE = 256;

/** The payload that replaces an oversize `agent` event. */
export function agentTruncation(
  payload: unknown,
  frameBytes: number,
  maxFrameBytes: number,
): Record<string, unknown> {
  const reason = `event frame of ${frameBytes} bytes exceeds ${maxFrameBytes}`;
  const marker: Record<string, unknown> = {};
  if (typeof payload === "object" && payload !== null) {
    const source = payload as Record<string, unknown>;
    for (const key of ROUTING_KEYS) {
      const value = source[key];
      if (
        typeof value === "number" ||
        (typeof value === "string" && value.length <= MAX_ROUTING_VALUE)
      ) {
        marker[key] = value;
      }
    }
  }
  return {
    ...marker,
    truncated: true,
    reason,
    originalFrameBytesAtLeast: frameBytes,
    maxFrameBytes,
    data: { truncated: true, reason },
  };
}

/** The `state.drop` payload telling clients to resync a state kind. */
export function stateDrop(
  event: string,
  frameBytes: number,
  options: { maxFrameBytes: number; ts: number },
): Record<string, unknown> {
  return {
    dropped: true,
    event,
    payloadClass: "state",
    reason:
      `event frame of ${frameBytes} bytes exceeds ${options.maxFrameBytes}`,
    reasonTruncated: false,
    resyncRequired: true,
    ts: options.ts,
  };
}
