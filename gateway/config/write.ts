/**
 * Writing the config: validate the candidate, keep secrets sealed, write
 * pretty JSON atomically with mode 0600.
 *
 * @module
 */
import type { ConfigObject } from "./_object.ts";
import { isRecord } from "./_object.ts";
import { writeFileAtomic } from "./atomic_write.ts";
import { ConfigError } from "./errors.ts";
import { parseKeyPath, setKeyPath } from "./key_path.ts";
import { type Env, resolveConfigPath } from "./paths.ts";
import { resolveConfig } from "./pipeline.ts";
import { changedProtectedPrefixes } from "./protected.ts";
import {
  MAX_CONFIG_BYTES,
  parseConfigText,
  readConfigText,
  sha256Hex,
} from "./read_file.ts";
import { keyringFromEnv, type SecretKeyring } from "./secrets/keyring.ts";
import { assertUnlockedWrite, sealSecrets } from "./secrets/seal.ts";

/** Options shared by {@linkcode writeConfig} and {@linkcode setConfigValue}. */
export interface WriteTarget {
  env: Env;
  /** Default `resolveConfigPath(env)`. */
  path?: string;
  /** Default: a keyring for `CARAPACE_CONFIG_PASSWORD`, or none. */
  keyring?: SecretKeyring | null;
  /** Refuse the write unless the file on disk still has this hash. */
  baseHash?: string;
}

/** What a write produced. */
export interface WrittenConfig {
  path: string;
  /** SHA-256 of the new file text. */
  hash: string;
  warnings: string[];
}

/**
 * Replaces the whole config file with `value` (plain, as it should be stored).
 *
 * @throws {ConfigError} kinds `parse` (existing file broken), `validation`, `locked_write`, `conflict`, …
 */
export async function writeConfig(
  options: WriteTarget & { value: ConfigObject },
): Promise<WrittenConfig> {
  const path = options.path ?? resolveConfigPath(options.env);
  const before = await readForWrite(path, options.baseHash);
  return await persist(path, before, options.value, options);
}

/**
 * Sets one dotted key in the config file; protected keys are refused.
 *
 * @throws {ConfigError} kind `protected_key` naming the protected prefixes, or any kind of {@linkcode writeConfig}
 * @example
 * ```ts
 * await setConfigValue({ env, key: "gateway.port", value: 8080 });
 * ```
 */
export async function setConfigValue(
  options: WriteTarget & { key: string; value: unknown },
): Promise<WrittenConfig> {
  const path = options.path ?? resolveConfigPath(options.env);
  const segments = parseKeyPath(options.key);
  const before = await readForWrite(path, options.baseHash);
  const after = setKeyPath(before, segments, options.value);
  const changed = changedProtectedPrefixes(before, after);
  if (changed.length > 0) {
    throw new ConfigError(
      "protected_key",
      `Cannot set "${options.key}": it changes protected config ${
        changed.map((p) => `"${p}"`).join(", ")
      }; edit the file by hand instead`,
      { path, keyPath: options.key },
    );
  }
  return await persist(path, before, after, options);
}

/** The plain parse of the file on disk (`{}` when missing), for dotted reads. */
export async function readPlainConfig(
  path: string,
): Promise<{ value: ConfigObject; hash: string | null }> {
  const text = await readConfigText(path);
  if (text === null) return { value: {}, hash: null };
  const value = parseConfigText(text, path);
  if (!isRecord(value)) {
    throw new ConfigError(
      "parse",
      `Cannot use config "${path}": the top level is not an object`,
      { path },
    );
  }
  return { value, hash: await sha256Hex(text) };
}

async function readForWrite(
  path: string,
  baseHash: string | undefined,
): Promise<ConfigObject> {
  let current: { value: ConfigObject; hash: string | null };
  try {
    current = await readPlainConfig(path);
  } catch (error) {
    if (error instanceof ConfigError && error.kind === "parse") {
      throw new ConfigError(
        "parse",
        `Cannot write config "${path}": the existing file is not valid (${error.message}); fix or remove it first`,
        { path, cause: error },
      );
    }
    throw error;
  }
  if (baseHash !== undefined && baseHash !== current.hash) {
    throw new ConfigError(
      "conflict",
      `Cannot write config "${path}": it changed since it was read; reload it and retry`,
      { path },
    );
  }
  return current.value;
}

async function persist(
  path: string,
  before: ConfigObject,
  candidate: ConfigObject,
  options: WriteTarget,
): Promise<WrittenConfig> {
  const keyring = options.keyring === undefined
    ? keyringFromEnv(options.env)
    : options.keyring;
  if (keyring === null) assertUnlockedWrite(before, candidate, path);
  const resolved = await resolveConfig(candidate, {
    file: path,
    env: options.env,
    keyring,
    missingEnv: "keep",
  });
  const sealed = keyring === null
    ? { value: candidate, warnings: [] }
    : await sealSecrets(candidate, { before, keyring });
  const text = `${JSON.stringify(sealed.value, null, 2)}\n`;
  if (new TextEncoder().encode(text).length > MAX_CONFIG_BYTES) {
    throw new ConfigError(
      "validation",
      `Cannot write config "${path}": it would be larger than 4 MiB`,
      { path },
    );
  }
  await writeFileAtomic(path, text);
  return {
    path,
    hash: await sha256Hex(text),
    warnings: [...resolved.warnings, ...sealed.warnings],
  };
}
