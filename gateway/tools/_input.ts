/**
 * Reading a tool's `input` (whatever the model sent): named fields out, one
 * clear `invalid_tool_input` error for anything else, which the model reads
 * as an error result.
 *
 * @module
 */
import { CaraError } from "../errors.ts";

/** A tool input object. */
export type ToolInput = Record<string, unknown>;

function bad(tool: string, problem: string): CaraError {
  return new CaraError(
    "invalid_tool_input",
    `Invalid ${tool} input: ${problem}`,
  );
}

/** The input object (absent reads as `{}`). */
export function inputOf(tool: string, input: unknown): ToolInput {
  if (input === undefined || input === null) return {};
  if (typeof input !== "object" || Array.isArray(input)) {
    throw bad(tool, "expected a JSON object");
  }
  return input as ToolInput;
}

/** A required string of at most `max` characters. */
export function requireText(
  tool: string,
  input: ToolInput,
  options: { key: string; max: number },
): string {
  const value = input[options.key];
  if (typeof value !== "string" || value === "" || value.length > options.max) {
    throw bad(
      tool,
      `"${options.key}" must be a non-empty string of at most ${options.max} characters`,
    );
  }
  return value;
}

/** An optional integer in `[min, max]`, else `fallback`. */
export function optionalInt(
  tool: string,
  input: ToolInput,
  options: { key: string; min: number; max: number; fallback: number },
): number {
  const value = input[options.key];
  if (value === undefined || value === null) return options.fallback;
  if (
    typeof value !== "number" || !Number.isInteger(value) ||
    value < options.min || value > options.max
  ) {
    throw bad(
      tool,
      `"${options.key}" must be an integer from ${options.min} to ${options.max}`,
    );
  }
  return value;
}
