/**
 * Where the config keeps secrets that are sealed (`enc:v2`) on write.
 *
 * @module
 */

/** Environment variable names whose `env.<NAME>` / `env.vars.<NAME>` values are sealed. */
export const SEALED_ENV_NAMES: readonly string[] = [
  "CARAPACE_SERVER_SECRET",
  "CARAPACE_GATEWAY_TOKEN",
  "CARAPACE_GATEWAY_PASSWORD",
  "CARAPACE_HOOKS_TOKEN",
  "ANTHROPIC_API_KEY",
  "OPENAI_API_KEY",
  "GOOGLE_API_KEY",
  "NEARAI_API_KEY",
  "VENICE_API_KEY",
  "OLLAMA_API_KEY",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "TELEGRAM_BOT_TOKEN",
  "TELEGRAM_WEBHOOK_SECRET",
  "DISCORD_BOT_TOKEN",
  "SLACK_BOT_TOKEN",
  "SLACK_SIGNING_SECRET",
  "MATRIX_ACCESS_TOKEN",
  "MATRIX_PASSWORD",
  "MATRIX_STORE_PASSPHRASE",
  "OPENAI_OAUTH_CLIENT_SECRET",
  "GOOGLE_OAUTH_CLIENT_SECRET",
  "GITHUB_OAUTH_CLIENT_SECRET",
  "DISCORD_OAUTH_CLIENT_SECRET",
];

const SEALED_KEYS: readonly string[] = [
  "gateway.auth.token",
  "gateway.auth.password",
  "gateway.hooks.token",
  "anthropic.apiKey",
  "openai.apiKey",
  "google.apiKey",
  "nearai.apiKey",
  "venice.apiKey",
  "ollama.apiKey",
  "providers.ollama.apiKey",
  "bedrock.accessKeyId",
  "bedrock.secretAccessKey",
  "bedrock.sessionToken",
  "models.providers.openai.apiKey",
  ...["google", "github", "discord", "openai"].map((p) =>
    `auth.profiles.providers.${p}.clientSecret`
  ),
  "telegram.botToken",
  "telegram.webhookSecret",
  "discord.botToken",
  "slack.botToken",
  "slack.signingSecret",
  "matrix.accessToken",
  "matrix.password",
  "matrix.storePassphrase",
];

/** Every sealed location as key segments, e.g. `["gateway", "auth", "token"]`. */
export function sealedPaths(): string[][] {
  return [
    ...SEALED_KEYS.map((key) => key.split(".")),
    ...SEALED_ENV_NAMES.flatMap((
      name,
    ) => [["env", name], ["env", "vars", name]]),
  ];
}
