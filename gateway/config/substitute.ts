/**
 * `${VAR}` substitution in config strings.
 *
 * Names are uppercase (`[A-Z_][A-Z0-9_]*`); `${lower}` stays literal and
 * `$${NAME}` is the escape for a literal `${NAME}`.
 *
 * @module
 */
import {
  type ConfigObject,
  formatKeyPath,
  isRecord,
  setOwn,
} from "./_object.ts";
import { ConfigError } from "./errors.ts";

const PLACEHOLDER = /(\$?)\$\{([A-Z_][A-Z0-9_]*)\}/g;

/** Looks a variable up; `undefined` when it is not set. */
export type VarLookup = (name: string) => string | undefined;

/** How {@linkcode substituteVars} treats a variable that is not set. */
export interface SubstituteOptions {
  /** `"error"` (default) throws; `"keep"` leaves the placeholder in place. */
  missing?: "error" | "keep";
  /** Key path of `value` inside the config, for messages. */
  at?: readonly (string | number)[];
  /** The file being loaded, for messages. */
  file?: string;
}

/**
 * Returns a copy of `value` with every `${NAME}` in its strings replaced.
 *
 * @throws {ConfigError} kind `missing_env_var` naming the variable and the key path
 * @example
 * ```ts
 * substituteVars({ url: "http://${HOST}" }, (n) => ({ HOST: "a" })[n]); // { url: "http://a" }
 * ```
 */
export function substituteVars(
  value: unknown,
  lookup: VarLookup,
  options: SubstituteOptions = {},
): unknown {
  const at = options.at ?? [];
  if (typeof value === "string") {
    return substituteString(value, lookup, { ...options, at });
  }
  if (Array.isArray(value)) {
    return value.map((item, i) =>
      substituteVars(item, lookup, { ...options, at: [...at, i] })
    );
  }
  if (isRecord(value)) {
    const out: ConfigObject = {};
    for (const [key, item] of Object.entries(value)) {
      setOwn(
        out,
        key,
        substituteVars(item, lookup, { ...options, at: [...at, key] }),
      );
    }
    return out;
  }
  return value;
}

/** Substitutes one string (see {@linkcode substituteVars}). */
export function substituteString(
  text: string,
  lookup: VarLookup,
  options: SubstituteOptions = {},
): string {
  if (!text.includes("${")) return text;
  return text.replace(PLACEHOLDER, (whole, escape: string, name: string) => {
    if (escape === "$") return whole.slice(1);
    const found = lookup(name);
    if (found !== undefined) return found;
    if (options.missing === "keep") return whole;
    const key = formatKeyPath(options.at ?? []);
    const file = options.file === undefined ? "" : ` in "${options.file}"`;
    throw new ConfigError(
      "missing_env_var",
      `Cannot substitute "\${${name}}" at "${key}"${file}: environment variable "${name}" is not set; set it or write "$\${${name}}" for a literal`,
      {
        ...(options.file === undefined ? {} : { path: options.file }),
        keyPath: key,
      },
    );
  });
}

/** Whether the whole string is one `${NAME}` placeholder. */
export function isPlaceholder(text: string): boolean {
  return /^\$\{[A-Z_][A-Z0-9_]*\}$/.test(text);
}
