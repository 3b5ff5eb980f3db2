/**
 * Why a config edit from a client (WS `config.*`, `PATCH /control/config`)
 * was refused. Each boundary maps `kind` to its own wire form.
 *
 * @module
 */
import { CaraError } from "../errors.ts";

/** Sent when the file exists and an edit came without `baseHash`. */
export const HASH_REQUIRED_MESSAGE =
  "config base hash required; re-run config.get and retry";
/** Sent when the file changed after the client read it. */
export const HASH_CONFLICT_MESSAGE =
  "config changed since last load; re-run config.get and retry";

/** One problem found in a config: schema errors and warnings. */
export interface ConfigIssue {
  severity: "error" | "warning";
  /** Dotted key path, `(root)` for the whole config. */
  path: string;
  message: string;
}

/**
 * - `hash_required`: the file exists and no `baseHash` came with the edit
 * - `conflict`: the file changed since the client read it
 * - `protected`: the edit touches protected prefixes (`details.protected`)
 * - `not_allowed`: the key is outside what this surface may change
 * - `invalid`: the result fails the schema (`details.issues`)
 * - `rejected`: any other refusal (broken file, locked secrets, includes)
 * - `unavailable`: the file could not be read or written
 */
export type ConfigEditErrorKind =
  | "hash_required"
  | "conflict"
  | "protected"
  | "not_allowed"
  | "invalid"
  | "rejected"
  | "unavailable";

/**
 * A refused config edit; `code` is `config_edit_<kind>`.
 *
 * @example
 * ```ts
 * throw new ConfigEditError("conflict", "config changed since last load; re-run config.get and retry");
 * ```
 */
export class ConfigEditError extends CaraError {
  readonly kind: ConfigEditErrorKind;
  readonly details: Record<string, unknown> | undefined;
  constructor(
    kind: ConfigEditErrorKind,
    message: string,
    options: { details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(
      `config_edit_${kind}`,
      message,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = "ConfigEditError";
    this.kind = kind;
    this.details = options.details;
  }
}
