/**
 * Loads the config file: read, parse JSON5, resolve, validate.
 *
 * @module
 */
import type { ConfigObject } from "./_object.ts";
import { type Env, resolveConfigPath } from "./paths.ts";
import { resolveConfig } from "./pipeline.ts";
import { parseConfigText, readConfigText, sha256Hex } from "./read_file.ts";
import type { CaraConfig } from "./schema.ts";
import { keyringFromEnv, type SecretKeyring } from "./secrets/keyring.ts";
import { validateConfig } from "./validate.ts";

/** Options of {@linkcode loadConfig}. */
export interface LoadConfigOptions {
  /** The process environment (read, never written). */
  env: Env;
  /** The config file; default `resolveConfigPath(env)`. */
  path?: string;
  /** Reuse derived keys across loads; default: a new keyring for `CARAPACE_CONFIG_PASSWORD`. */
  keyring?: SecretKeyring | null;
}

/** A loaded config and everything known about where it came from. */
export interface LoadedConfig {
  path: string;
  exists: boolean;
  /** Lowercase hex SHA-256 of the file text; `null` when there is no file. */
  hash: string | null;
  /** After includes, `env`, substitution and decryption; before defaults. */
  raw: ConfigObject;
  /** Validated, defaults applied. */
  config: CaraConfig;
  /** Variables from the `env` section, for `applyConfigEnv`. */
  env: Record<string, string>;
  /** Unknown keys, scrubbed secrets and similar, one line each. */
  warnings: string[];
  /** Every file read: the config itself (when it exists) and its includes. */
  files: string[];
}

/**
 * Loads and validates the config. A missing file is an empty config.
 *
 * @throws {ConfigError} kinds `read`, `parse`, include kinds, `missing_env_var`,
 *   `validation`, `unsupported_secret_envelope`
 * @example
 * ```ts
 * const loaded = await loadConfig({ env: Deno.env.toObject() });
 * loaded.config.gateway.port; // 18789 unless configured
 * ```
 */
export async function loadConfig(
  options: LoadConfigOptions,
): Promise<LoadedConfig> {
  const path = options.path ?? resolveConfigPath(options.env);
  const text = await readConfigText(path);
  if (text === null) {
    const { config, warnings } = validateConfig({}, { file: path });
    return {
      path,
      exists: false,
      hash: null,
      raw: {},
      config,
      env: {},
      warnings,
      files: [],
    };
  }
  const resolved = await resolveConfig(parseConfigText(text, path), {
    file: path,
    env: options.env,
    keyring: options.keyring === undefined
      ? keyringFromEnv(options.env)
      : options.keyring,
  });
  return {
    path,
    exists: true,
    hash: await sha256Hex(text),
    raw: resolved.raw,
    config: resolved.config,
    env: resolved.env,
    warnings: resolved.warnings,
    files: [path, ...resolved.files],
  };
}
