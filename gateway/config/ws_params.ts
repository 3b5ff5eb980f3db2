/**
 * The params of one `config.*` request, checked field by field with errors
 * that name the method and the field.
 *
 * @module
 */
import { ProtocolError } from "../protocol/errors.ts";
import { isRecord } from "./_object.ts";
import { MAX_CONFIG_BYTES, parseConfigText } from "./read_file.ts";

/** Typed access to the params of one `config.*` request. */
export class ConfigParams {
  readonly method: string;
  #params: Record<string, unknown>;

  /** @throws {ProtocolError} `invalid_request` when params are neither absent nor an object */
  constructor(params: unknown, method: string) {
    this.method = method;
    if (params !== undefined && params !== null && !isRecord(params)) {
      throw this.invalid("expected an object");
    }
    this.#params = isRecord(params) ? params : {};
  }

  /** A field as sent (`undefined` when absent). */
  field(name: string): unknown {
    return Object.hasOwn(this.#params, name) ? this.#params[name] : undefined;
  }

  /** A string field, `undefined` when absent or null. */
  optionalString(name: string): string | undefined {
    const value = this.field(name);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "string") {
      throw this.invalid(`"${name}" must be a string`);
    }
    return value;
  }

  /** `baseHash`, or `null` when absent. */
  baseHash(): string | null {
    return this.optionalString("baseHash") ?? null;
  }

  /** `raw` parsed as JSON5 (`allowObject`: an object is taken as is). */
  raw(options: { allowObject?: boolean } = {}): unknown {
    const raw = this.field("raw");
    if (options.allowObject && isRecord(raw)) return raw;
    if (typeof raw !== "string") {
      throw this.invalid(`"raw" must be a JSON5 string`);
    }
    if (raw.length > MAX_CONFIG_BYTES) {
      throw this.invalid(`"raw" is larger than 4 MiB`);
    }
    return parseConfigText(raw, "raw");
  }

  /** `raw` as a JSON5 object. */
  rawObject(options: { allowObject?: boolean } = {}): Record<string, unknown> {
    const value = this.raw(options);
    if (!isRecord(value)) throw this.invalid(`"raw" must be a JSON5 object`);
    return value;
  }

  /** An `invalid_request` error naming this method. */
  invalid(problem: string): ProtocolError {
    return new ProtocolError(
      "invalid_request",
      `invalid ${this.method} params: ${problem}`,
    );
  }
}
