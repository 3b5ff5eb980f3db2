/**
 * `anthropic:` with a setup-token profile (`anthropic.authProfile`): the
 * token goes out as `Authorization: Bearer` with the OAuth beta header, in
 * place of `x-api-key`.
 *
 * @module
 */
import { anthropicProvider } from "../providers/anthropic.ts";
import type { ProviderSettings } from "../providers/settings.ts";
import type { Provider } from "../providers/types.ts";
import { profileProvider } from "./profile_provider.ts";
import type { ProfileCredentials } from "./types.ts";

/** The beta flag Anthropic requires for OAuth bearer tokens. */
export const ANTHROPIC_OAUTH_BETA = "oauth-2025-04-20";

/**
 * Builds the Anthropic provider over a setup-token profile.
 *
 * @example
 * ```ts
 * anthropicProfileProvider({ baseUrl: "https://api.anthropic.com" }, credentials);
 * ```
 */
export function anthropicProfileProvider(
  settings: ProviderSettings,
  credentials: ProfileCredentials,
): Provider {
  const { apiKey: _, ...rest } = settings;
  return profileProvider(
    "anthropic",
    credentials,
    (token) =>
      anthropicProvider({
        ...rest,
        headers: {
          ...settings.headers,
          authorization: `Bearer ${token}`,
          "anthropic-beta": ANTHROPIC_OAUTH_BETA,
        },
      }),
  );
}
