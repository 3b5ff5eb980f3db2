/**
 * Turns a loaded raw config into a {@linkcode CaraConfig}, with messages that
 * name the key path, what was expected and what was found.
 *
 * @module
 */
import type { ZodIssue } from "zod";
import { formatKeyPath, isRecord, valueAt } from "./_object.ts";
import { ConfigError } from "./errors.ts";
import { isSecretKey } from "./redact.ts";
import {
  type CaraConfig,
  configSchema,
  KNOWN_TOP_LEVEL_KEYS,
} from "./schema.ts";
import { BIND_NAMES, reloadModeOf } from "./schema/gateway.ts";

/** A validated config and what deserves a look but is not an error. */
export interface ValidatedConfig {
  config: CaraConfig;
  warnings: string[];
}

/**
 * Validates `raw` and applies defaults.
 *
 * @throws {ConfigError} kind `validation`, e.g.
 *   `Invalid config at "gateway.port": expected an integer from 1 to 65535, got "abc"`
 * @example
 * ```ts
 * const { config } = validateConfig({ gateway: { port: 8080 } });
 * config.gateway.bind; // "loopback"
 * ```
 */
export function validateConfig(
  raw: unknown,
  options: { file?: string } = {},
): ValidatedConfig {
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const [first, ...rest] = result.error.issues;
    const more = rest.length === 0
      ? ""
      : ` (and ${rest.length} more problem${rest.length === 1 ? "" : "s"})`;
    const keyPath = formatKeyPath(first?.path ?? []);
    throw new ConfigError(
      "validation",
      `${first ? describeIssue(first, raw) : "Invalid config"}${more}`,
      {
        keyPath,
        ...(options.file === undefined ? {} : { path: options.file }),
      },
    );
  }
  return { config: result.data, warnings: configWarnings(raw) };
}

/** One issue as `Invalid config at "<key>": <expected>, got <value>`. */
function describeIssue(issue: ZodIssue, raw: unknown): string {
  const key = formatKeyPath(issue.path);
  const head = `Invalid config at "${key}"`;
  if (issue.code === "unrecognized_keys") {
    return `${head}: unknown key${issue.keys.length === 1 ? "" : "s"} ${
      issue.keys.map((k) => `"${k}"`).join(", ")
    }; remove ${issue.keys.length === 1 ? "it" : "them"}`;
  }
  if (issue.code === "custom" && issue.params?.complete === true) {
    return `${head}: ${issue.message}`;
  }
  const value = valueAt(raw, issue.path);
  const leaf = String(issue.path[issue.path.length - 1] ?? "");
  return `${head}: ${issue.message}, ${describeValue(value, leaf)}`;
}

function describeValue(value: unknown, leaf: string): string {
  if (value === undefined) return "but it is missing";
  if (isSecretKey(leaf) && value !== null) {
    return `got a ${Array.isArray(value) ? "array" : typeof value}`;
  }
  const text = JSON.stringify(value) ?? String(value);
  return `got ${text.length > 60 ? `${text.slice(0, 57)}...` : text}`;
}

function configWarnings(raw: unknown): string[] {
  if (!isRecord(raw)) return [];
  const warnings: string[] = [];
  for (const key of Object.keys(raw)) {
    if (!KNOWN_TOP_LEVEL_KEYS.includes(key)) {
      warnings.push(`Unknown config key "${key}" is ignored`);
    }
  }
  if (raw.hooks !== undefined) {
    warnings.push(
      `Config key "hooks" is ignored: webhooks are configured under "gateway.hooks"`,
    );
  }
  const mode = valueAt(raw, ["gateway", "reload", "mode"]);
  if (typeof mode === "string" && reloadModeOf(mode) === null) {
    warnings.push(
      `Unknown "gateway.reload.mode" "${mode}": reload is off; use "hot", "hybrid" or "off"`,
    );
  }
  const bind = valueAt(raw, ["gateway", "bind"]);
  if (
    typeof bind === "string" && !BIND_NAMES.includes(bind) &&
    !/^[A-Za-z0-9.:_-]+$/.test(bind)
  ) {
    warnings.push(
      `Unusual "gateway.bind" "${bind}": expected ${
        BIND_NAMES.join(", ")
      } or an IP address`,
    );
  }
  const agents = valueAt(raw, ["agents", "list"]);
  if (Array.isArray(agents)) {
    agents.forEach((agent, i) => {
      if (
        isRecord(agent) && agent.route !== undefined &&
        agent.model !== undefined
      ) {
        warnings.push(
          `"agents.list.${i}" sets both "route" and "model": the route wins`,
        );
      }
    });
  }
  if (
    valueAt(raw, ["matrix", "encrypted"]) === false &&
    valueAt(raw, ["matrix", "storePassphrase"]) !== undefined
  ) {
    warnings.push(
      `"matrix.storePassphrase" has no effect while "matrix.encrypted" is false`,
    );
  }
  return warnings;
}
