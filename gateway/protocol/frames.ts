/**
 * Turns one inbound WebSocket message into a request frame, an error reply
 * or a close decision, per the frame rules of protocol.md §1–§2.
 *
 * @module
 */
import { ProtocolError } from "./errors.ts";
import { exceedsJsonDepth } from "./json_depth.ts";
import { utf8Length } from "./limits.ts";
import type { RequestFrame } from "./types.ts";

/** Longest request id accepted (a longer one is not echoed back). */
export const MAX_ID_LENGTH = 256;
/** Longest method name accepted. */
export const MAX_METHOD_LENGTH = 128;

/** Close reasons of invalid frames. */
export const CLOSE_REASONS = {
  binary: "binary messages not supported",
  tooLarge: "payload too large",
  tooDeep: "payload nested too deeply",
  invalidFrame: "invalid request frame",
} as const;

/** What to do with one inbound message. */
export type InboundDecision =
  | { kind: "request"; frame: RequestFrame }
  | { kind: "reply"; id: string; error: ProtocolError; close: boolean }
  | { kind: "close"; code: number; reason: string };

/** Options of {@linkcode parseInbound}. */
export interface ParseInboundOptions {
  maxPayloadBytes: number;
  maxJsonDepth: number;
  /** After `hello-ok`, frames with an id get error replies instead of a close. */
  handshakeDone: boolean;
}

/**
 * Decides what one message is. Never throws; never recurses over the input.
 *
 * @example
 * ```ts
 * parseInbound('{"type":"req","id":"1","method":"health"}', {
 *   maxPayloadBytes: 524288, maxJsonDepth: 32, handshakeDone: true,
 * }); // { kind: "request", frame: {...} }
 * ```
 */
export function parseInbound(
  data: unknown,
  options: ParseInboundOptions,
): InboundDecision {
  if (typeof data !== "string") return close(CLOSE_REASONS.binary);
  if (
    data.length > options.maxPayloadBytes ||
    (data.length * 3 > options.maxPayloadBytes &&
      utf8Length(data) > options.maxPayloadBytes)
  ) {
    return close(CLOSE_REASONS.tooLarge);
  }
  const tooDeep = exceedsJsonDepth(data, options.maxJsonDepth);
  if (tooDeep && !options.handshakeDone) return close(CLOSE_REASONS.tooDeep);
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return close(CLOSE_REASONS.invalidFrame);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return close(CLOSE_REASONS.invalidFrame);
  }
  const record = value as Record<string, unknown>;
  const id = validId(record.id);
  if (id === null) return close(CLOSE_REASONS.invalidFrame);
  const reject = (message: string, details?: unknown) => ({
    kind: "reply" as const,
    id,
    error: new ProtocolError(
      "invalid_request",
      message,
      details === undefined ? {} : { details },
    ),
    close: !options.handshakeDone,
  });
  if (record.type !== "req") {
    return options.handshakeDone
      ? reject(CLOSE_REASONS.invalidFrame)
      : close(CLOSE_REASONS.invalidFrame);
  }
  const method = record.method;
  if (
    typeof method !== "string" || method.trim() === "" ||
    method.length > MAX_METHOD_LENGTH
  ) {
    return reject(CLOSE_REASONS.invalidFrame);
  }
  if (tooDeep) {
    return reject(
      `invalid params: JSON nested deeper than ${options.maxJsonDepth} levels`,
      { maxJsonDepth: options.maxJsonDepth },
    );
  }
  const frame: RequestFrame = { type: "req", id, method };
  if (record.params !== undefined) frame.params = record.params;
  return { kind: "request", frame };
}

function validId(id: unknown): string | null {
  return typeof id === "string" && id.trim() !== "" &&
      id.length <= MAX_ID_LENGTH
    ? id
    : null;
}

function close(reason: string): InboundDecision {
  return { kind: "close", code: 1008, reason };
}
