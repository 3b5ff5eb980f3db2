/**
 * The OpenAI OAuth client Codex signs in with: `OPENAI_OAUTH_CLIENT_ID` /
 * `OPENAI_OAUTH_CLIENT_SECRET` from env, else
 * `auth.profiles.providers.openai.{clientId, clientSecret}` (env wins).
 *
 * @module
 */
import type { Env } from "../config/paths.ts";
import type { CaraConfig } from "../config/schema.ts";
import type { OAuthClient } from "./oauth_client.ts";
import { AuthProfileError } from "./types.ts";

/** The issuer of OpenAI sign-ins. */
export const OPENAI_ISSUER = "https://auth.openai.com";
/** Scopes Codex asks for (`offline_access` grants the refresh token). */
export const OPENAI_SCOPES = ["openid", "profile", "email", "offline_access"];

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== ""
    ? value.trim()
    : undefined;
}

function openaiSection(config: CaraConfig | undefined) {
  const auth = (config as { auth?: unknown } | undefined)?.auth as
    | { profiles?: { providers?: { openai?: Record<string, unknown> } } }
    | undefined;
  return auth?.profiles?.providers?.openai ?? {};
}

/** The client secret from env or config, when there is one. */
export function openaiClientSecret(
  env: Env,
  config?: CaraConfig,
): string | undefined {
  return text(env.OPENAI_OAUTH_CLIENT_SECRET) ??
    text(openaiSection(config).clientSecret);
}

/**
 * The OpenAI OAuth client at `issuer` (default {@linkcode OPENAI_ISSUER}).
 *
 * @throws {AuthProfileError} `oauth_client_missing` when no client id is set
 */
export function openaiOAuthClient(
  env: Env,
  options: { config?: CaraConfig; issuer?: string } = {},
): OAuthClient {
  const clientId = text(env.OPENAI_OAUTH_CLIENT_ID) ??
    text(openaiSection(options.config).clientId);
  if (clientId === undefined) {
    throw new AuthProfileError(
      "oauth_client_missing",
      "Cannot sign in to Codex: no OpenAI OAuth client is set; set OPENAI_OAUTH_CLIENT_ID (and OPENAI_OAUTH_CLIENT_SECRET if the client has one) or auth.profiles.providers.openai.clientId",
    );
  }
  const issuer = (options.issuer ?? OPENAI_ISSUER).replace(/\/+$/, "");
  const client: OAuthClient = {
    clientId,
    authorizeUrl: `${issuer}/oauth/authorize`,
    tokenUrl: `${issuer}/oauth/token`,
    scopes: OPENAI_SCOPES,
  };
  const secret = openaiClientSecret(env, options.config);
  if (secret !== undefined) client.clientSecret = secret;
  return client;
}
