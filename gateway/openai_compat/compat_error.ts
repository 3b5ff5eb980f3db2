/**
 * Errors of the OpenAI-compatible surfaces in the shape OpenAI clients parse:
 * `{error: {message, type, code}}` with a matching HTTP status
 * (protocol.md §10).
 *
 * @module
 */
import { CaraError } from "../errors.ts";
import { ProtocolError } from "../protocol/errors.ts";
import { ProviderError } from "../providers/types.ts";

/** The `error.type` values this surface answers. */
export type CompatErrorType =
  | "invalid_request_error"
  | "unauthorized"
  | "not_found_error"
  | "rate_limit_error"
  | "api_error";

/** A request the OpenAI-compatible surface refuses, with its HTTP status. */
export class CompatError extends CaraError {
  readonly status: 400 | 404 | 413 | 422 | 429 | 502 | 503;
  readonly type: CompatErrorType;
  constructor(
    status: CompatError["status"],
    type: CompatErrorType,
    message: string,
    options: { code?: string; cause?: unknown } = {},
  ) {
    super(
      options.code ?? type,
      message,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = "CompatError";
    this.status = status;
    this.type = type;
  }

  /** The JSON body OpenAI clients expect. */
  toBody(): { error: { message: string; type: string; code: string } } {
    return {
      error: { message: this.message, type: this.type, code: this.code },
    };
  }
}

/**
 * Turns a provider or resolution failure into a {@linkcode CompatError};
 * anything else (our own bug) is rethrown for the app's error handler.
 */
export function toCompatError(error: unknown): CompatError {
  if (error instanceof CompatError) return error;
  if (error instanceof ProviderError) {
    if (error.failure === "rate_limited" || error.failure === "overloaded") {
      return new CompatError(429, "rate_limit_error", error.message, {
        code: error.code,
        cause: error,
      });
    }
    return new CompatError(502, "api_error", error.message, {
      code: error.code,
      cause: error,
    });
  }
  if (error instanceof CaraError || error instanceof ProtocolError) {
    if (error.code === "provider_not_configured") {
      return new CompatError(503, "api_error", error.message, {
        code: error.code,
        cause: error,
      });
    }
    if (error.code === "missing_model") {
      return new CompatError(422, "invalid_request_error", error.message, {
        code: error.code,
        cause: error,
      });
    }
    return new CompatError(400, "invalid_request_error", error.message, {
      code: error.code,
      cause: error,
    });
  }
  throw error;
}
