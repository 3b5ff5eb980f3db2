/**
 * Shape checks for the agent, chat, session, usage and model WS methods:
 * `unknown` in, named fields out, one `invalid_request` line otherwise; and
 * {@linkcode asProtocolError}, which turns the state layer's CaraErrors into
 * `invalid_request` answers instead of "internal error".
 *
 * @module
 */
import { CaraError } from "../errors.ts";
import { ProtocolError } from "../protocol/errors.ts";

/** A params object after the object check. */
export type Params = Record<string, unknown>;

/** One method's params reader. */
export class MethodParams {
  readonly #method: string;
  readonly #params: Params;

  constructor(method: string, params: unknown) {
    this.#method = method;
    if (params === undefined || params === null) this.#params = {};
    else if (typeof params !== "object" || Array.isArray(params)) {
      throw this.bad("expected an object");
    } else this.#params = params as Params;
  }

  /** An `invalid_request` error naming the method. */
  bad(problem: string): ProtocolError {
    return new ProtocolError(
      "invalid_request",
      `invalid ${this.#method} params: ${problem}`,
    );
  }

  /** A required non-blank string of at most `max` characters (first present key wins). */
  text(keys: string | string[], max = 512): string {
    const found = this.optionalText(keys, max);
    if (found === undefined) {
      throw this.bad(`${[keys].flat().join(" or ")} is required`);
    }
    return found;
  }

  /** An optional non-blank string of at most `max` characters. */
  optionalText(keys: string | string[], max = 512): string | undefined {
    for (const key of [keys].flat()) {
      const value = this.#params[key];
      if (value === undefined || value === null) continue;
      if (
        typeof value !== "string" || value.trim() === "" || value.length > max
      ) {
        throw this.bad(
          `${key} must be a non-empty string of at most ${max} characters`,
        );
      }
      return value;
    }
    return undefined;
  }

  /** An optional integer in `[min, max]`. */
  int(key: string, range: { min: number; max: number }): number | undefined {
    const value = this.#params[key];
    if (value === undefined || value === null) return undefined;
    if (
      typeof value !== "number" || !Number.isInteger(value) ||
      value < range.min || value > range.max
    ) {
      throw this.bad(
        `${key} must be an integer from ${range.min} to ${range.max}`,
      );
    }
    return value;
  }

  /** An optional boolean. */
  flag(key: string): boolean | undefined {
    const value = this.#params[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "boolean") throw this.bad(`${key} must be a boolean`);
    return value;
  }

  /** An optional plain object. */
  object(key: string): Params | undefined {
    const value = this.#params[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "object" || Array.isArray(value)) {
      throw this.bad(`${key} must be an object`);
    }
    return value as Params;
  }

  /** An optional list of non-blank strings (at most `max`). */
  texts(key: string, max = 100): string[] | undefined {
    const value = this.#params[key];
    if (value === undefined || value === null) return undefined;
    if (
      !Array.isArray(value) || value.length > max ||
      !value.every((item) =>
        typeof item === "string" && item.trim() !== "" && item.length <= 512
      )
    ) {
      throw this.bad(
        `${key} must be an array of at most ${max} non-empty strings`,
      );
    }
    return value as string[];
  }
}

/** Runs `fn`, answering a CaraError as `invalid_request` with its message. */
export function asProtocolError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof CaraError) {
      throw new ProtocolError("invalid_request", error.message, {
        cause: error,
      });
    }
    throw error;
  }
}
