/**
 * The error every config step throws: one `kind` per condition a caller may
 * want to tell apart, and a one-line message for the person who must act.
 *
 * @module
 */
import { CaraError } from "../errors.ts";

/** What went wrong while loading, validating or writing the config. */
export type ConfigErrorKind =
  | "parse"
  | "read"
  | "include_not_found"
  | "circular_include"
  | "include_depth_exceeded"
  | "invalid_include_directive"
  | "include_must_be_object"
  | "missing_env_var"
  | "validation"
  | "unsupported_secret_envelope"
  | "locked_write"
  | "protected_key"
  | "conflict";

/** Where a {@linkcode ConfigError} happened. */
export interface ConfigErrorOptions {
  /** The file being read or written. */
  path?: string;
  /** The dotted key inside the config, e.g. `gateway.port`. */
  keyPath?: string;
  cause?: unknown;
}

/**
 * A config failure; `code` is `config_<kind>`.
 *
 * @example
 * ```ts
 * throw new ConfigError("read", `Cannot read config "/x": permission denied`, { path: "/x" });
 * ```
 */
export class ConfigError extends CaraError {
  readonly kind: ConfigErrorKind;
  readonly path?: string;
  readonly keyPath?: string;
  constructor(
    kind: ConfigErrorKind,
    message: string,
    options: ConfigErrorOptions = {},
  ) {
    super(
      `config_${kind}`,
      message,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = "ConfigError";
    this.kind = kind;
    if (options.path !== undefined) this.path = options.path;
    if (options.keyPath !== undefined) this.keyPath = options.keyPath;
  }
}
