/**
 * The bridge from provider settings to auth profiles: the credentials of
 * `codex.authProfile` / `anthropic.authProfile`, or why they cannot be used.
 * Nothing is read here; the profile is opened on the first call.
 *
 * @module
 */
import { join } from "node:path";
import { type Env, resolveStateDir } from "../config/paths.ts";
import type { CaraConfig } from "../config/schema.ts";
import {
  CONFIG_PASSWORD_ENV,
  keyringFromEnv,
} from "../config/secrets/keyring.ts";
import { openaiClientSecret } from "./openai_oauth.ts";
import { profileCredentials } from "./profile_credentials.ts";
import { AUTH_PROFILES_FILE, AuthProfileStore } from "./store.ts";
import {
  type AuthProfileProvider,
  isProfileId,
  type ProfileCredentials,
} from "./types.ts";

/** Credentials for a provider, or the reason it is not configured. */
export type ProfileSettingsResult =
  | { credentials: ProfileCredentials }
  | { reason: string };

/**
 * The credentials of profile `id` for `provider`.
 *
 * @example
 * ```ts
 * profileSettings("codex", "codex:default", env, config);
 * // { credentials } or { reason: "set CARAPACE_CONFIG_PASSWORD …" }
 * ```
 */
export function profileSettings(
  provider: AuthProfileProvider,
  id: unknown,
  env: Env,
  config?: CaraConfig,
): ProfileSettingsResult {
  const key = `${provider}.authProfile`;
  if (typeof id !== "string" || !isProfileId(id)) {
    return {
      reason:
        `"${key}" is not a profile id such as "${provider}:default"; run "cara setup --provider ${provider}"`,
    };
  }
  const keyring = keyringFromEnv(env);
  if (keyring === null) {
    return {
      reason:
        `set ${CONFIG_PASSWORD_ENV} to unlock auth profile "${id}" ("${key}")`,
    };
  }
  const store = new AuthProfileStore(
    join(resolveStateDir(env), AUTH_PROFILES_FILE),
    keyring,
  );
  const secret = provider === "codex"
    ? openaiClientSecret(env, config)
    : undefined;
  return {
    credentials: profileCredentials(store, id, {
      provider,
      ...(secret === undefined ? {} : { clientSecret: secret }),
    }),
  };
}
