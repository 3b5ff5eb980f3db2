/**
 * The `health` WS method (protocol.md §7) and the health block of the
 * `hello-ok` snapshot.
 *
 * @module
 */
import type { HubStats } from "../protocol/hub.ts";
import type { MethodDefinition } from "../protocol/types.ts";

/** The `health` result. */
export interface HealthPayload {
  status: "healthy";
  ts: number;
  ws: {
    broadcastDropTotal: number;
    connectionCount: number;
    /** Matrix is not part of this build yet, so nothing is ever dropped. */
    matrixVerificationRateLimitDropTotal: number;
    maxBufferedBytes: number;
  };
}

/** Builds the health payload from live WS statistics. */
export function healthPayload(stats: HubStats, now: number): HealthPayload {
  return {
    status: "healthy",
    ts: now,
    ws: {
      broadcastDropTotal: stats.broadcastDropTotal,
      connectionCount: stats.connectionCount,
      matrixVerificationRateLimitDropTotal: 0,
      maxBufferedBytes: stats.maxBufferedBytes,
    },
  };
}

/** `health` (operator.read). */
export function healthMethod(
  deps: { wsStats: () => HubStats; now?: () => number },
): MethodDefinition {
  const now = deps.now ?? Date.now;
  return {
    name: "health",
    scope: "operator.read",
    handler: () => healthPayload(deps.wsStats(), now()),
  };
}
