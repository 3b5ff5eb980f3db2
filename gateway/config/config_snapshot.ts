/**
 * What `config.get` (no key) and `GET /control/config` report about the
 * config file: its hash, the plain parse and the loaded view (both
 * redacted), and whether it is valid.
 *
 * @module
 */
import type { ConfigIssue } from "./config_edit_error.ts";
import { ConfigError } from "./errors.ts";
import { loadConfig } from "./load.ts";
import type { Env } from "./paths.ts";
import { parseConfigText, readConfigText, sha256Hex } from "./read_file.ts";
import { redactConfig } from "./redact.ts";
import type { SecretKeyring } from "./secrets/keyring.ts";

/** The full `config.get` answer. */
export interface ConfigSnapshot {
  path: string;
  exists: boolean;
  valid: boolean;
  /** SHA-256 hex of the file text; `null` when there is no file. */
  hash: string | null;
  /** Always `null`: the file text is never sent (it may hold secrets). */
  raw: null;
  /** The plain JSON5 parse of the file, redacted (`null` when it does not parse). */
  parsed: unknown;
  /** After includes, `env`, `${VAR}` and decryption, before defaults; redacted. */
  config: unknown;
  issues: ConfigIssue[];
  warnings: string[];
}

/**
 * Reads the file fresh (not the config in force) and describes it.
 *
 * @throws {ConfigError} kind `read` when the file cannot be read at all
 * @example
 * ```ts
 * const { hash, config } = await readConfigSnapshot({ env, keyring: null, path });
 * ```
 */
export async function readConfigSnapshot(
  options: { env: Env; keyring: SecretKeyring | null; path: string },
): Promise<ConfigSnapshot> {
  const { path } = options;
  const text = await readConfigText(path);
  const base = {
    path,
    exists: text !== null,
    hash: text === null ? null : await sha256Hex(text),
    raw: null,
  };
  let parsed: unknown = undefined;
  try {
    parsed = text === null ? {} : parseConfigText(text, path);
    const loaded = await loadConfig({ ...options });
    return {
      ...base,
      valid: true,
      parsed: redactConfig(parsed),
      config: redactConfig(loaded.raw),
      issues: [],
      warnings: loaded.warnings,
    };
  } catch (error) {
    if (!(error instanceof ConfigError) || error.kind === "read") throw error;
    const issue: ConfigIssue = {
      severity: "error",
      path: error.keyPath ?? "(root)",
      message: error.message,
    };
    return {
      ...base,
      valid: false,
      parsed: parsed === undefined ? null : redactConfig(parsed),
      config: null,
      issues: [issue],
      warnings: [],
    };
  }
}
