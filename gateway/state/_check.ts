/**
 * Input checks shared by the stores: every value written has a size limit,
 * and a violation is a peer's mistake reported as one clear line.
 *
 * @module
 */
import { CaraError } from "../errors.ts";

/** What a checked value is (for the message) and its length limit. */
export interface TextRule {
  what: string;
  max: number;
}

function invalid(message: string): CaraError {
  return new CaraError("invalid_request", message);
}

/** Refuses an empty string or one longer than `rule.max` characters. */
export function checkText(value: string, rule: TextRule): string {
  if (value.length === 0 || value.length > rule.max) {
    throw invalid(
      `Cannot store ${rule.what} "${
        value.slice(0, 80)
      }": expected 1 to ${rule.max} characters, got ${value.length}`,
    );
  }
  return value;
}

/** Like {@linkcode checkText} for an optional value; `undefined` → `null`. */
export function checkOptionalText(
  value: string | undefined,
  rule: TextRule,
): string | null {
  return value === undefined ? null : checkText(value, rule);
}

/** Refuses anything but a whole number from 0 to `max`. */
export function checkCount(
  value: number,
  rule: { what: string; max: number },
): number {
  if (!Number.isSafeInteger(value) || value < 0 || value > rule.max) {
    throw invalid(
      `Cannot store ${rule.what} ${value}: expected a whole number from 0 to ${rule.max}`,
    );
  }
  return value;
}

/** Refuses a value outside `allowed`, listing the valid choices. */
export function checkChoice<T extends string>(
  value: string,
  rule: { what: string; allowed: readonly T[] },
): T {
  const found = rule.allowed.find((choice) => choice === value);
  if (found === undefined) {
    throw invalid(
      `Cannot use ${rule.what} "${value.slice(0, 80)}": expected one of ${
        rule.allowed.join(", ")
      }`,
    );
  }
  return found;
}

/** Refuses a limit/offset pair outside `1..maxLimit` / `0..`. */
export function checkPage(
  page: { limit: number; offset?: number },
  rule: { what: string; maxLimit: number },
): void {
  const { limit, offset = 0 } = page;
  if (!Number.isInteger(limit) || limit < 1 || limit > rule.maxLimit) {
    throw invalid(
      `Cannot list ${rule.what} with limit ${limit}: expected a whole number from 1 to ${rule.maxLimit}`,
    );
  }
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw invalid(
      `Cannot list ${rule.what} from offset ${offset}: expected a whole number of 0 or more`,
    );
  }
}
