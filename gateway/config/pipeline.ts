/**
 * The load pipeline after parsing: `$include` → secrets → `env` section →
 * `${VAR}` → schema. Shared by loading and by writes that validate a
 * candidate before it reaches disk.
 *
 * @module
 */
import { type ConfigObject, isRecord } from "./_object.ts";
import { computeConfigEnv } from "./env_section.ts";
import { ConfigError } from "./errors.ts";
import { resolveIncludes } from "./includes.ts";
import type { Env } from "./paths.ts";
import type { CaraConfig } from "./schema.ts";
import type { SecretKeyring } from "./secrets/keyring.ts";
import { openSecrets } from "./secrets/open.ts";
import { substituteVars } from "./substitute.ts";
import { validateConfig } from "./validate.ts";

/** Options of {@linkcode resolveConfig}. */
export interface ResolveConfigOptions {
  /** The file the value was parsed from (includes resolve next to it). */
  file: string;
  env: Env;
  /** Decrypts `enc:v2` values; `null` scrubs them to `null`. */
  keyring: SecretKeyring | null;
  /** `"keep"` leaves unset `${VAR}` in place (used to validate writes). Default `"error"`. */
  missingEnv?: "error" | "keep";
}

/** The outcome of {@linkcode resolveConfig}. */
export interface ResolvedConfig {
  raw: ConfigObject;
  config: CaraConfig;
  env: Record<string, string>;
  warnings: string[];
  /** Included files read on the way. */
  files: string[];
}

/**
 * Resolves and validates a parsed config.
 *
 * @throws {ConfigError} any kind but `locked_write`
 */
export async function resolveConfig(
  parsed: unknown,
  options: ResolveConfigOptions,
): Promise<ResolvedConfig> {
  const { file, env } = options;
  const included = await resolveIncludes(parsed, file);
  if (!isRecord(included.value)) {
    const got = Array.isArray(included.value)
      ? "an array"
      : JSON.stringify(included.value);
    throw new ConfigError(
      "validation",
      `Invalid config at "(root)": expected an object, got ${got}`,
      { path: file },
    );
  }
  const opened = await openSecrets(included.value, {
    keyring: options.keyring,
    file,
  });
  const section = isRecord(opened.value) ? opened.value.env : undefined;
  const configEnv = computeConfigEnv(section, env, file);
  const substituted = substituteVars(
    opened.value,
    (name) => configEnv.vars[name] ?? env[name],
    { file, missing: options.missingEnv ?? "error" },
  ) as ConfigObject;
  const validated = validateConfig(substituted, { file });
  return {
    raw: substituted,
    config: validated.config,
    env: configEnv.vars,
    warnings: [
      ...opened.warnings,
      ...configEnv.warnings,
      ...validated.warnings,
    ],
    files: included.files,
  };
}
