/**
 * `config_read`: the agent reads the config in force, redacted like every
 * display path (config.md §3 "Redaction") and, stricter, with every value
 * under a key containing `auth` or `private` hidden too.
 *
 * @module
 */
import type { Tool } from "../agent/types.ts";
import {
  getKeyPath,
  MAX_KEY_LENGTH,
  parseKeyPath,
} from "../config/key_path.ts";
import { ConfigError } from "../config/errors.ts";
import { redactConfig, REDACTED } from "../config/redact.ts";
import type { CaraConfig } from "../config/schema.ts";
import { inputOf } from "./_input.ts";

/** Key-name parts the agent never sees values under, beyond the display list. */
const AGENT_SECRET_PARTS = ["auth", "private"];

function isAgentSecret(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[^a-z0-9]/g, "");
  return AGENT_SECRET_PARTS.some((part) => normalized.includes(part));
}

function hide(value: unknown, secret: boolean): unknown {
  if (typeof value === "string" || typeof value === "number") {
    return secret ? REDACTED : value;
  }
  if (Array.isArray(value)) return value.map((item) => hide(item, secret));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map((
        [key, item],
      ) => [key, hide(item, secret || isAgentSecret(key))]),
    );
  }
  return value;
}

/**
 * The config as the agent may see it: display redaction plus `auth` and
 * `private` key matches.
 *
 * @example
 * ```ts
 * agentConfigView({ gateway: { auth: { mode: "token" }, port: 1 } });
 * // { gateway: { auth: { mode: "[REDACTED]" }, port: 1 } }
 * ```
 */
export function agentConfigView(config: unknown): unknown {
  return hide(redactConfig(config), false);
}

/**
 * Builds the tool over the live config (`config()` is read on every call,
 * so a reload shows at once).
 *
 * @example
 * ```ts
 * await configReadTool({ config: () => current }).run({ key: "gateway.port" }, context);
 * ```
 */
export function configReadTool(options: { config: () => CaraConfig }): Tool {
  return {
    name: "config_read",
    description:
      "Reads the gateway config in force (secrets and auth settings redacted). Pass a dot path such as gateway.port to read one key.",
    inputSchema: {
      type: "object",
      properties: {
        key: {
          type: "string",
          description: "Dot path of one key, e.g. gateway.port",
        },
      },
    },
    run(input) {
      const key = inputOf("config_read", input).key;
      const view = agentConfigView(options.config());
      if (key === undefined || key === null || key === "") {
        return Promise.resolve({ content: JSON.stringify({ config: view }) });
      }
      if (typeof key !== "string" || key.length > MAX_KEY_LENGTH) {
        return Promise.resolve({
          content:
            `Invalid config_read input: "key" must be a dot path string of at most ${MAX_KEY_LENGTH} characters`,
          isError: true,
        });
      }
      let segments: string[];
      try {
        segments = parseKeyPath(key);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        return Promise.resolve({ content: error.message, isError: true });
      }
      const found = getKeyPath(view, segments);
      return Promise.resolve({
        content: JSON.stringify({
          key,
          found: found.found,
          value: found.found ? found.value ?? null : null,
        }),
      });
    },
  };
}
