/**
 * Shape checks for pairing method params: `unknown` in, named fields out, one
 * clear `invalid_request` line for anything else.
 *
 * @module
 */
import { ProtocolError } from "../protocol/errors.ts";

/** A params object after the object check. */
export type Params = Record<string, unknown>;

function bad(method: string, problem: string): ProtocolError {
  return new ProtocolError(
    "invalid_request",
    `invalid ${method} params: ${problem}`,
  );
}

/** The params object (absent params read as `{}`). */
export function paramsOf(method: string, params: unknown): Params {
  if (params === undefined || params === null) return {};
  if (typeof params !== "object" || Array.isArray(params)) {
    throw bad(method, "expected an object");
  }
  return params as Params;
}

/** A required non-blank string of at most `max` characters. */
export function requireString(
  method: string,
  params: Params,
  key: string,
  max = 256,
): string {
  const value = params[key];
  if (typeof value !== "string" || value.trim() === "" || value.length > max) {
    throw bad(
      method,
      `${key} must be a non-empty string of at most ${max} characters`,
    );
  }
  return value;
}

/** An optional string; `undefined` when absent. */
export function optionalString(
  method: string,
  params: Params,
  key: string,
  max = 256,
): string | undefined {
  return params[key] === undefined || params[key] === null
    ? undefined
    : requireString(method, params, key, max);
}

/** An optional list of non-blank strings (at most 64). */
export function optionalStrings(
  method: string,
  params: Params,
  key: string,
): string[] | undefined {
  const value = params[key];
  if (value === undefined || value === null) return undefined;
  if (
    !Array.isArray(value) || value.length > 64 ||
    !value.every((item) =>
      typeof item === "string" && item.trim() !== "" && item.length <= 64
    )
  ) {
    throw bad(
      method,
      `${key} must be an array of at most 64 non-empty strings`,
    );
  }
  return value as string[];
}

/** An optional boolean, default false. */
export function optionalFlag(
  method: string,
  params: Params,
  key: string,
): boolean {
  const value = params[key];
  if (value === undefined || value === null) return false;
  if (typeof value !== "boolean") throw bad(method, `${key} must be a boolean`);
  return value;
}
