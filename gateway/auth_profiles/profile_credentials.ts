/**
 * The bearer token of one stored profile for a provider call: opened once,
 * cached, refreshed shortly before it expires (or after the provider refused
 * it) with the refresh token rotated under the store lock, so concurrent
 * calls and processes refresh once.
 *
 * @module
 */
import { refreshTokens } from "./oauth_client.ts";
import { type AuthProfileStore, missingProfile } from "./store.ts";
import {
  type AuthProfile,
  AuthProfileError,
  type AuthProfileProvider,
  type ProfileCredentials,
} from "./types.ts";

/** Options of {@linkcode profileCredentials}. */
export interface ProfileCredentialsOptions {
  /** The provider the profile must belong to. */
  provider: AuthProfileProvider;
  /** Secret of the OAuth client, for confidential clients. */
  clientSecret?: string;
  /** Refresh this long before `expiresAt` (default 60 s). */
  marginMs?: number;
  /** Default `Date.now`. */
  now?: () => number;
}

/**
 * A token source over profile `id` of `store`.
 *
 * @example
 * ```ts
 * const credentials = profileCredentials(store, "codex:default", { provider: "codex" });
 * const token = await credentials.token(signal);
 * ```
 */
export function profileCredentials(
  store: AuthProfileStore,
  id: string,
  options: ProfileCredentialsOptions,
): ProfileCredentials {
  const now = options.now ?? Date.now;
  const margin = options.marginMs ?? 60_000;
  let cached: AuthProfile | undefined;
  let refused: string | undefined;
  let pending: Promise<AuthProfile> | undefined;
  const usable = (p: AuthProfile) =>
    p.accessToken !== refused &&
    (p.expiresAt === undefined || p.expiresAt - margin > now());

  async function load(signal: AbortSignal): Promise<AuthProfile> {
    const profile = await store.get(id);
    if (profile === null) throw missingProfile(id, store.path);
    if (profile.provider !== options.provider) {
      throw new AuthProfileError(
        "auth_profile_provider",
        `Cannot use auth profile "${id}" for "${options.provider}:": it belongs to "${profile.provider}:"; pick a ${options.provider} profile`,
      );
    }
    if (usable(profile)) return profile;
    if (profile.kind !== "oauth") {
      throw new AuthProfileError(
        "auth_profile_expired",
        `Cannot use auth profile "${id}": its token was refused or expired; create a new token and run "cara setup --provider ${options.provider}" again`,
      );
    }
    return await store.update(id, async (current) => {
      // Another process may have refreshed while we waited for the lock.
      if (usable(current)) return current;
      return await refreshed(current, signal);
    });
  }

  async function refreshed(
    current: AuthProfile,
    signal: AbortSignal,
  ): Promise<AuthProfile> {
    if (!current.refreshToken || !current.tokenUrl || !current.clientId) {
      throw new AuthProfileError(
        "auth_profile_expired",
        `Cannot use auth profile "${id}": its access token expired and it has no refresh token; run "cara setup --provider ${options.provider}" to sign in again`,
      );
    }
    const tokens = await refreshTokens(
      {
        clientId: current.clientId,
        ...(options.clientSecret ? { clientSecret: options.clientSecret } : {}),
        tokenUrl: current.tokenUrl,
      },
      current.refreshToken,
      { signal, now },
    );
    const next: AuthProfile = {
      ...current,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken ?? current.refreshToken,
      updatedAt: now(),
    };
    if (tokens.expiresAt === undefined) delete next.expiresAt;
    else next.expiresAt = tokens.expiresAt;
    return next;
  }

  return {
    profileId: id,
    async token(signal) {
      if (cached !== undefined && usable(cached)) return cached.accessToken;
      pending ??= load(signal).finally(() => pending = undefined);
      cached = await pending;
      return cached.accessToken;
    },
    invalidate() {
      if (cached !== undefined) refused = cached.accessToken;
      cached = undefined;
    },
  };
}
