/**
 * The config `env` section: variables the config exports to the process.
 *
 * The loader only computes them; {@linkcode applyConfigEnv} is called by the
 * composition root so loading never mutates the process environment.
 *
 * @module
 */
import { isRecord } from "./_object.ts";
import { ConfigError } from "./errors.ts";
import type { Env } from "./paths.ts";
import { substituteString } from "./substitute.ts";

/** Variables that steer the loader itself and so cannot come from the config. */
export const LOADER_ENV_NAMES: readonly string[] = [
  "CARAPACE_CONFIG_PATH",
  "CARAPACE_STATE_DIR",
  "CARAPACE_DISABLE_CONFIG_CACHE",
  "CARAPACE_CONFIG_CACHE_MS",
  "CARAPACE_CONFIG_PASSWORD",
];

/** The resolved variables of an `env` section. */
export interface ConfigEnv {
  vars: Record<string, string>;
  warnings: string[];
}

/**
 * Resolves `env.vars.*` and the string keys directly under `env` (except
 * `vars` and `shellEnv`); values may use `${X}` from each other or `env`.
 *
 * @throws {ConfigError} kind `validation` (loader variable, NUL byte, cycle) or `missing_env_var`
 */
export function computeConfigEnv(
  section: unknown,
  env: Env,
  file?: string,
): ConfigEnv {
  const warnings: string[] = [];
  const raw = new Map<string, { value: string; key: string }>();
  const collect = (
    source: unknown,
    prefix: string,
    skip: readonly string[],
  ) => {
    if (source === undefined) return;
    if (!isRecord(source)) throw invalid(prefix, "expected an object", file);
    for (const [name, value] of Object.entries(source)) {
      if (skip.includes(name)) continue;
      const key = `${prefix}.${name}`;
      if (name === "" || name.includes("=") || name.includes("\0")) {
        warnings.push(
          `Ignored "${key}": not a valid environment variable name`,
        );
      } else if (typeof value !== "string") {
        warnings.push(`Ignored "${key}": expected a string value`);
      } else if (LOADER_ENV_NAMES.includes(name.toUpperCase())) {
        throw invalid(
          key,
          "this loader variable can only be set in the process environment",
          file,
        );
      } else if (value.includes("\0")) {
        throw invalid(key, "the value contains a NUL byte", file);
      } else {
        raw.set(name, { value, key });
      }
    }
  };
  collect(section, "env", ["vars", "shellEnv"]);
  if (isRecord(section)) collect(section.vars, "env.vars", []);

  const vars: Record<string, string> = {};
  const resolveVar = (name: string, stack: readonly string[]): string => {
    const done = vars[name];
    if (done !== undefined) return done;
    const entry = raw.get(name);
    if (entry === undefined) return "";
    if (stack.includes(name)) {
      throw invalid(
        entry.key,
        `variables reference each other in a cycle (${
          [...stack, name].join(" -> ")
        })`,
        file,
      );
    }
    const value = substituteString(entry.value, (ref) => {
      if (raw.has(ref)) return resolveVar(ref, [...stack, name]);
      return env[ref];
    }, { at: entry.key.split("."), ...(file === undefined ? {} : { file }) });
    vars[name] = value;
    return value;
  };
  for (const name of raw.keys()) resolveVar(name, []);
  return { vars, warnings };
}

/** Where {@linkcode applyConfigEnv} writes; `Deno.env` fits. */
export interface EnvTarget {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
  delete(name: string): void;
}

/**
 * Sets `vars` on `target` and returns a function that restores the previous
 * values (call it before applying the vars of a reloaded config).
 *
 * @example
 * ```ts
 * const undo = applyConfigEnv(loaded.env, Deno.env);
 * // … on reload:
 * undo();
 * ```
 */
export function applyConfigEnv(
  vars: Record<string, string>,
  target: EnvTarget,
): () => void {
  const previous = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(vars)) {
    if (!previous.has(name)) previous.set(name, target.get(name));
    target.set(name, value);
  }
  let undone = false;
  return () => {
    if (undone) return;
    undone = true;
    for (const [name, value] of previous) {
      if (value === undefined) target.delete(name);
      else target.set(name, value);
    }
  };
}

function invalid(key: string, reason: string, file?: string): ConfigError {
  return new ConfigError(
    "validation",
    `Invalid config at "${key}": ${reason}`,
    {
      keyPath: key,
      ...(file === undefined ? {} : { path: file }),
    },
  );
}
