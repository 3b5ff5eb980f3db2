/**
 * The errors of `provider:model` resolution. Their codes are WS protocol
 * error codes (protocol.md §6), so a method handler can answer with
 * `new ProtocolError(error.code, error.message)` unchanged.
 *
 * @module
 */
import { CaraError } from "../errors.ts";

/** Why a model reference could not be turned into a provider call. */
export type RoutingErrorCode =
  | "invalid_request"
  | "unknown_route"
  | "missing_model"
  | "provider_not_configured";

/**
 * A model reference that is malformed, names an unknown route, is missing,
 * or points at a provider without credentials.
 *
 * @example
 * ```ts
 * throw new RoutingError("unknown_route", `Cannot use route "fast": it is not defined under "routes"`);
 * ```
 */
export class RoutingError extends CaraError {
  declare readonly code: RoutingErrorCode;
  constructor(code: RoutingErrorCode, message: string) {
    super(code, message);
    this.name = "RoutingError";
  }
}
