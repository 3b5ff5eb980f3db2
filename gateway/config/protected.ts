/**
 * Keys that only a person editing the file may change: auth, credentials,
 * provider keys and endpoints, channel secrets, plugin signature policy and
 * the env variables behind them. `cara config set` and the WS/HTTP config
 * writers refuse to touch them.
 *
 * @module
 */
import { jsonEqual, valueAt } from "./_object.ts";
import { LOADER_ENV_NAMES } from "./env_section.ts";
import { SEALED_ENV_NAMES } from "./secrets/sealed_paths.ts";

const OAUTH_PROVIDERS = ["google", "github", "discord", "openai"];

const PROTECTED_ENV_NAMES: readonly string[] = [
  ...SEALED_ENV_NAMES,
  "MATRIX_HOMESERVER_URL",
  "MATRIX_USER_ID",
  "MATRIX_DEVICE_ID",
  ...LOADER_ENV_NAMES,
  "ANTHROPIC_BASE_URL",
  "OPENAI_BASE_URL",
  "GOOGLE_API_BASE_URL",
  "NEARAI_BASE_URL",
  "VENICE_BASE_URL",
  "OLLAMA_BASE_URL",
  "TELEGRAM_BASE_URL",
  "DISCORD_BASE_URL",
  "SLACK_BASE_URL",
  "SIGNAL_CLI_URL",
];

const PROVIDERS = [
  "anthropic",
  "openai",
  "google",
  "nearai",
  "venice",
  "ollama",
  "providers.ollama",
];

/** Every protected dotted prefix. */
export const PROTECTED_PREFIXES: readonly string[] = [
  "gateway.auth",
  "gateway.controlUi.allowInsecureAuth",
  "gateway.controlUi.dangerouslyDisableDeviceAuth",
  "gateway.controlUi.path",
  "gateway.hooks.token",
  "credentials",
  "secrets",
  ...OAUTH_PROVIDERS.flatMap((p) => [
    `auth.profiles.providers.${p}.redirectUri`,
    `auth.profiles.providers.${p}.clientSecret`,
  ]),
  "auth.profiles.redirectBaseUrl",
  ...PROVIDERS.map((p) => `${p}.apiKey`),
  "bedrock.accessKeyId",
  "bedrock.secretAccessKey",
  "bedrock.sessionToken",
  "models.providers.openai.apiKey",
  ...PROVIDERS.map((p) => `${p}.baseUrl`),
  "models.providers.openai.baseUrl",
  "telegram.botToken",
  "telegram.webhookSecret",
  "discord.botToken",
  "slack.botToken",
  "slack.signingSecret",
  ...[
    "homeserverUrl",
    "userId",
    "accessToken",
    "password",
    "deviceId",
    "storePassphrase",
    "inboundDlq",
  ]
    .map((key) => `matrix.${key}`),
  "plugins.signature",
  ...PROTECTED_ENV_NAMES.flatMap((name) => [`env.${name}`, `env.vars.${name}`]),
];

/**
 * The protected prefixes whose value differs between `before` and `after`.
 *
 * @example
 * ```ts
 * changedProtectedPrefixes({}, { gateway: { auth: { mode: "none" } } }); // ["gateway.auth"]
 * ```
 */
export function changedProtectedPrefixes(
  before: unknown,
  after: unknown,
): string[] {
  return PROTECTED_PREFIXES.filter((prefix) => {
    const segments = prefix.split(".");
    return !jsonEqual(valueAt(before, segments), valueAt(after, segments));
  });
}
