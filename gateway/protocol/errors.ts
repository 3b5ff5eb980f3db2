/**
 * The error codes of the WebSocket protocol (v3) and the error a method
 * handler throws to answer a request with `ok:false`.
 *
 * @module
 */

/** Top-level `error.code` values; only `unavailable` and `rate_limited` are retryable. */
export const ERROR_CODES = {
  invalid_request: false,
  not_paired: false,
  unavailable: true,
  rate_limited: true,
  unknown_route: false,
  missing_model: false,
  provider_not_configured: false,
} as const satisfies Record<string, boolean>;

/** A protocol error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** The `error` object of a failed response frame. */
export interface ErrorShape {
  code: ErrorCode;
  message: string;
  retryable: boolean;
  details?: unknown;
}

/**
 * Thrown by a method handler (or the dispatcher) to answer `ok:false`.
 *
 * @example
 * ```ts
 * throw new ProtocolError("invalid_request", "config base hash required; re-run config.get and retry");
 * ```
 */
export class ProtocolError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: unknown; cause?: unknown } = {},
  ) {
    super(
      message,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = "ProtocolError";
    this.code = code;
    this.details = options.details;
  }

  /** Whether a client may retry the same request later. */
  get retryable(): boolean {
    return ERROR_CODES[this.code];
  }

  /** The wire form (`details` omitted when absent). */
  toShape(): ErrorShape {
    const shape: ErrorShape = {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
    };
    if (this.details !== undefined) shape.details = this.details;
    return shape;
  }
}

/**
 * A refused `connect`: answered with `error`, then the socket is closed with
 * `closeCode` (1008 unless stated) and the message as reason.
 */
export class ConnectRefused extends ProtocolError {
  readonly closeCode: number;
  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: unknown; closeCode?: number; cause?: unknown } = {},
  ) {
    super(code, message, options);
    this.name = "ConnectRefused";
    this.closeCode = options.closeCode ?? 1008;
  }
}
