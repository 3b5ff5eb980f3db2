/**
 * The config subsystem: load (JSON5, `$include`, `${VAR}`, `env`, secrets),
 * validate, write, redact and watch the cara config file.
 *
 * @example
 * ```ts
 * import { applyConfigEnv, loadConfig } from "./gateway/config/mod.ts";
 * const loaded = await loadConfig({ env: Deno.env.toObject() });
 * const undo = applyConfigEnv(loaded.env, Deno.env);
 * ```
 *
 * @module
 */
export {
  ConfigError,
  type ConfigErrorKind,
  type ConfigErrorOptions,
} from "./errors.ts";
export {
  loadConfig,
  type LoadConfigOptions,
  type LoadedConfig,
} from "./load.ts";
export {
  applyConfigEnv,
  computeConfigEnv,
  type ConfigEnv,
  type EnvTarget,
} from "./env_section.ts";
export {
  type CaraConfig,
  configSchema,
  KNOWN_TOP_LEVEL_KEYS,
} from "./schema.ts";
export { validateConfig, type ValidatedConfig } from "./validate.ts";
export { MODEL_PROVIDERS, modelRefProblem } from "./schema/model_ref.ts";
export { keyringFromEnv, SecretKeyring } from "./secrets/keyring.ts";
export {
  readPlainConfig,
  setConfigValue,
  writeConfig,
  type WriteTarget,
  type WrittenConfig,
} from "./write.ts";
export { getKeyPath, parseKeyPath, setKeyPath } from "./key_path.ts";
export { changedProtectedPrefixes, PROTECTED_PREFIXES } from "./protected.ts";
export { isSecretKey, redactConfig, REDACTED } from "./redact.ts";
export { watchConfig, type WatchConfigOptions } from "./watch.ts";
export {
  type Env,
  platformConfigDir,
  resolveConfigPath,
  resolveDatabasePath,
  resolveMemoryDir,
  resolveStateDir,
} from "./paths.ts";
