/**
 * JSON values as stored in TEXT columns, and the one place stored JSON is
 * turned back into typed values.
 *
 * @module
 */
import { CaraError } from "../errors.ts";

/** A value that survives `JSON.stringify` / `JSON.parse` unchanged. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

/** A JSON object, the shape of every metadata and audit data column. */
export type JsonObject = { [key: string]: JsonValue };

/** True when `value` is a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses a stored JSON object column; anything else reads as `{}`. */
export function parseJsonObject(text: string | null): JsonObject {
  if (text === null) return {};
  const value: unknown = JSON.parse(text);
  return isJsonObject(value) ? value : {};
}

/** Parses a stored JSON array of strings; non-string items are dropped. */
export function parseStringArray(text: string): string[] {
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is string => typeof item === "string");
}

/** UTF-8 byte length of a string. */
export function byteLength(text: string): number {
  return new TextEncoder().encode(text).byteLength;
}

/** What a capped value is (for the error message) and its byte limit. */
export interface CapOptions {
  what: string;
  maxBytes: number;
}

/**
 * Serialises `value` and refuses it when it exceeds `options.maxBytes`.
 *
 * @throws {CaraError} `invalid_request` when the serialised form is too large
 */
export function stringifyCapped(value: JsonValue, options: CapOptions): string {
  const text = JSON.stringify(value);
  const size = byteLength(text);
  if (size > options.maxBytes) {
    throw new CaraError(
      "invalid_request",
      `Cannot store ${options.what}: it is ${size} bytes, the limit is ${options.maxBytes}`,
    );
  }
  return text;
}

/**
 * Applies a JSON merge patch (RFC 7396): keys with `null` are removed,
 * nested objects merge, everything else replaces.
 */
export function mergePatch(target: JsonObject, patch: JsonObject): JsonObject {
  const out: JsonObject = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete out[key];
    } else if (isJsonObject(value)) {
      const current = out[key];
      out[key] = mergePatch(isJsonObject(current) ? current : {}, value);
    } else {
      out[key] = value;
    }
  }
  return out;
}
