/**
 * Zod building blocks whose messages say what was expected; the validator
 * appends the key path and the value that was found.
 *
 * Building blocks with the same arguments return the same schema: zod
 * schemas are immutable, and every instance costs start-up time (the config
 * schema is built on every `cara start`), so equal ones are made once.
 *
 * @module
 */
import { z } from "zod";

// Immutable schemas by building block and arguments (see the module comment).
const SHARED = new Map<string, z.ZodTypeAny>();

function shared<T extends z.ZodTypeAny>(key: string, build: () => T): T {
  let schema = SHARED.get(key) as T | undefined;
  if (schema === undefined) {
    schema = build();
    SHARED.set(key, schema);
  }
  return schema;
}

/** An integer in `[min, max]` (no upper bound when `max` is omitted). */
export function int(min: number, max?: number): z.ZodNumber {
  return shared(`int:${min}:${max}`, () => {
    const message = max === undefined
      ? `expected an integer of at least ${min}`
      : `expected an integer from ${min} to ${max}`;
    const base = z.number({
      invalid_type_error: message,
      required_error: message,
    })
      .int(message).min(min, message);
    return max === undefined ? base : base.max(max, message);
  });
}

/** A finite number greater than 0. */
export function positive(): z.ZodNumber {
  return shared("positive", () => {
    const message = "expected a number greater than 0";
    return z.number({ invalid_type_error: message, required_error: message })
      .positive(message).finite(message);
  });
}

/** `true` or `false`. */
export function bool(): z.ZodBoolean {
  return shared("bool", () => {
    const message = "expected true or false";
    return z.boolean({ invalid_type_error: message, required_error: message });
  });
}

/** A string; `what` describes it in messages. */
export function str(what = "a string"): z.ZodString {
  return shared(`str:${what}`, () => {
    const message = `expected ${what}`;
    return z.string({ invalid_type_error: message, required_error: message });
  });
}

/** A non-empty string. */
export function nonEmpty(what = "a non-empty string"): z.ZodString {
  return shared(
    `nonEmpty:${what}`,
    () => str(what).min(1, `expected ${what}`),
  );
}

/** One of a closed set of strings; the message lists the choices. */
export function oneOf<T extends [string, ...string[]]>(
  values: T,
): z.ZodEnum<T> {
  const message = `expected one of ${values.map((v) => `"${v}"`).join(", ")}`;
  return z.enum(values, { errorMap: () => ({ message }) });
}

/** An array of strings. */
export function strList(what = "an array of strings"): z.ZodArray<z.ZodString> {
  return shared(
    `strList:${what}`,
    () =>
      z.array(str(`${what.replace(/^an array of /, "")} in the array`), {
        invalid_type_error: `expected ${what}`,
      }),
  );
}

/** A secret: a string or `null` (null when it could not be decrypted). */
export function secret(): z.ZodNullable<z.ZodString> {
  return shared("secret", () => str("a string or null").nullable());
}

/** An object of known keys that keeps unknown keys as they are. */
export function section<T extends z.ZodRawShape>(
  shape: T,
): z.ZodObject<T, "passthrough"> {
  // One instance per section: `extend` keeps the template's message and
  // passthrough, where `z.object(…).passthrough()` would make three.
  return looseObject().extend(shape) as unknown as z.ZodObject<
    T,
    "passthrough"
  >;
}

/** An object whose content this version does not check (yet). */
export function looseObject(): z.ZodObject<
  Record<string, never>,
  "passthrough"
> {
  return shared(
    "looseObject",
    () =>
      z.object<Record<string, never>>({}, {
        invalid_type_error: "expected an object",
      }).passthrough(),
  );
}
