/**
 * Anthropic setup-token profiles: the long-lived token `claude setup-token`
 * prints, stored sealed and sent as a bearer token instead of an API key.
 *
 * @module
 */
import type { Env } from "../config/paths.ts";
import { type AuthProfileStore, openAuthProfileStore } from "./store.ts";
import { AuthProfileError, profileId } from "./types.ts";

/** The environment variable `cara setup` reads a setup token from. */
export const ANTHROPIC_SETUP_TOKEN_ENV = "ANTHROPIC_SETUP_TOKEN";

/** Options of {@linkcode saveAnthropicSetupToken}. */
export interface SetupTokenOptions {
  /** Profile name; the id is `anthropic:<name>`. Default `default`. */
  name?: string;
  /** Default: the store in `env`'s state dir. */
  store?: AuthProfileStore;
  /** Default `Date.now`. */
  now?: () => number;
}

/**
 * Stores `token` as an Anthropic setup-token profile and returns its id (put
 * it in `anthropic.authProfile`).
 *
 * @throws {AuthProfileError} `auth_profile_locked` without the password, `invalid_setup_token` for an API key or a malformed token
 * @example
 * ```ts
 * const id = await saveAnthropicSetupToken(ctx.env, token); // "anthropic:default"
 * ```
 */
export async function saveAnthropicSetupToken(
  env: Env,
  token: string,
  options: SetupTokenOptions = {},
): Promise<string> {
  const id = profileId("anthropic", options.name);
  const store = options.store ?? openAuthProfileStore(env);
  store.assertUnlocked(`store the Anthropic setup token as "${id}"`);
  const value = token.trim();
  if (value.startsWith("sk-ant-api")) {
    throw new AuthProfileError(
      "invalid_setup_token",
      "Cannot store the Anthropic setup token: this is an API key, not a setup token; use --auth-mode api-key with ANTHROPIC_API_KEY",
    );
  }
  if (!/^[\x21-\x7e]{20,4096}$/.test(value)) {
    throw new AuthProfileError(
      "invalid_setup_token",
      `Cannot store the Anthropic setup token: expected 20 to 4096 printable characters without spaces, as printed by "claude setup-token"`,
    );
  }
  const at = (options.now ?? Date.now)();
  await store.save({
    id,
    provider: "anthropic",
    kind: "setup_token",
    createdAt: at,
    updatedAt: at,
    accessToken: value,
  });
  return id;
}
