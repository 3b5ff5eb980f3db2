/**
 * `cara config show|get|set|path`: read and change the config file.
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import {
  getKeyPath,
  isSecretKey,
  loadConfig,
  parseKeyPath,
  readPlainConfig,
  redactConfig,
  resolveConfigPath,
  setConfigValue,
} from "../gateway/config/mod.ts";
import type { CliContext } from "./context.ts";
import { CliError } from "./errors.ts";

const HELP = `
Keys are dotted paths such as "gateway.port" or "agents.list.0.id".
Secrets (tokens, passwords, API keys) are always shown as "[REDACTED]".
Protected keys (gateway.auth, provider keys and endpoints, channel secrets,
plugins.signature, …) cannot be set here: edit the file by hand.

Examples:
  cara config path
  cara config show
  cara config show --json
  cara config get gateway.port
  cara config set gateway.port 8080
  cara config set gateway.bind lan
  cara config set agents.defaults.model '"anthropic:claude-sonnet-4-5"'
`;

/** `cara config …`. */
export function configCommand(ctx: CliContext): Command {
  const config = new Command("config")
    .description("show and change the config file")
    .addHelpText("after", HELP);

  config.command("show")
    .description(
      "print the loaded config with defaults applied (secrets redacted)",
    )
    .option(
      "--json",
      "print path, hash, config and warnings as one JSON object",
    )
    .action(async (options) => {
      const loaded = await loadConfig({ env: ctx.env });
      const redacted = redactConfig(loaded.config);
      if (options.json) {
        const { path, exists, hash, warnings } = loaded;
        ctx.io.out(
          `${
            JSON.stringify(
              { path, exists, hash, config: redacted, warnings },
              null,
              2,
            )
          }\n`,
        );
        return;
      }
      for (const warning of loaded.warnings) {
        ctx.io.err(`Warning: ${warning}\n`);
      }
      ctx.io.out(`${JSON.stringify(redacted, null, 2)}\n`);
    });

  config.command("get")
    .description(
      "print one key as written in the config file (no includes, no defaults)",
    )
    .argument("<key>", "dotted key path, e.g. gateway.port")
    .action(async (key) => {
      const segments = parseKeyPath(key);
      const { value } = await readPlainConfig(resolveConfigPath(ctx.env));
      const found = getKeyPath(value, segments);
      if (!found.found) throw new CliError(`Key not found: "${key}"`);
      ctx.io.out(
        `${
          JSON.stringify(
            redactConfig(found.value, secretName(segments)),
            null,
            2,
          )
        }\n`,
      );
    });

  config.command("set")
    .description(
      "set one key in the config file (value is JSON, else a string)",
    )
    .argument("<key>", "dotted key path, e.g. gateway.port")
    .argument("<value>", `JSON value (8080, true, ["a"], "text") or plain text`)
    .action(async (key, text) => {
      const segments = parseKeyPath(key);
      const value = parseValue(text);
      const written = await setConfigValue({ env: ctx.env, key, value });
      for (const warning of written.warnings) {
        ctx.io.err(`Warning: ${warning}\n`);
      }
      ctx.io.out(
        `Set ${key} = ${
          JSON.stringify(redactConfig(value, secretName(segments)))
        }\n`,
      );
    });

  config.command("path")
    .description("print the config file path (it need not exist)")
    .action(() => {
      ctx.io.out(`${resolveConfigPath(ctx.env)}\n`);
    });

  return config;
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The name that decides redaction: the first secret-looking segment, else the leaf. */
function secretName(segments: readonly string[]): string | undefined {
  return segments.find(isSecretKey) ?? segments[segments.length - 1];
}
