/**
 * Reads the sampling fields of an OpenAI request (`max_tokens` and friends,
 * `temperature`) with range checks.
 *
 * @module
 */
import { CompatError } from "./compat_error.ts";

/** Token cap and temperature requested by the client, when given. */
export interface Sampling {
  maxTokens?: number;
  temperature?: number;
}

const MAX_TOKENS_LIMIT = 1_000_000;

/**
 * Picks the first present field of `maxFields` as the token cap.
 *
 * @throws {CompatError} 400 for values out of range
 */
export function samplingOf(
  body: Record<string, unknown>,
  maxFields: readonly string[],
): Sampling {
  const out: Sampling = {};
  for (const field of maxFields) {
    const value = body[field];
    if (value === undefined || value === null) continue;
    if (
      typeof value !== "number" || !Number.isInteger(value) || value < 1 ||
      value > MAX_TOKENS_LIMIT
    ) {
      throw new CompatError(
        400,
        "invalid_request_error",
        `Cannot use "${field}": expected an integer from 1 to ${MAX_TOKENS_LIMIT}`,
      );
    }
    out.maxTokens = value;
    break;
  }
  const t = body.temperature;
  if (t !== undefined && t !== null) {
    if (typeof t !== "number" || !(t >= 0 && t <= 2)) {
      throw new CompatError(
        400,
        "invalid_request_error",
        `Cannot use "temperature": expected a number from 0 to 2`,
      );
    }
    out.temperature = t;
  }
  return out;
}
