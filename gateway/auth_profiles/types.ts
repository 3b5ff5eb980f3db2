/**
 * The shapes of the auth-profile store (ops-and-security.md §5): OAuth and
 * setup-token credentials kept in `{state_dir}/auth_profiles.json`, their
 * tokens sealed with the config password.
 *
 * @module
 */
import { CaraError } from "../errors.ts";

/** The providers that sign in with a profile instead of an API key. */
export const AUTH_PROFILE_PROVIDERS = ["codex", "anthropic"] as const;

/** A provider that uses auth profiles. */
export type AuthProfileProvider = typeof AUTH_PROFILE_PROVIDERS[number];

/** How a profile was obtained: an OAuth sign-in or a pasted setup token. */
export type AuthProfileKind = "oauth" | "setup_token";

/** The part of a profile that is sealed as one `enc:v2` envelope. */
export interface AuthProfileSecrets {
  accessToken: string;
  refreshToken?: string;
  /** OAuth token endpoint the refresh token belongs to (sealed so it cannot be redirected). */
  tokenUrl?: string;
  /** OAuth client the tokens were issued to. */
  clientId?: string;
}

/** What anyone may see about a profile without the password. */
export interface AuthProfileSummary {
  /** `<provider>:<name>`, e.g. `codex:default`. */
  id: string;
  provider: AuthProfileProvider;
  kind: AuthProfileKind;
  /** Milliseconds since the epoch. */
  createdAt: number;
  updatedAt: number;
  /** When the access token stops working (ms since the epoch), if known. */
  expiresAt?: number;
}

/** A profile with its tokens opened. */
export interface AuthProfile extends AuthProfileSummary, AuthProfileSecrets {}

/** A source of the current bearer token of one profile, refreshed as needed. */
export interface ProfileCredentials {
  readonly profileId: string;
  /**
   * A token that is valid now (refreshing and rotating it when it expired).
   *
   * @throws {AuthProfileError} when the profile is missing, locked or cannot be refreshed
   */
  token(signal: AbortSignal): Promise<string>;
  /** Marks the last token as refused, so the next {@linkcode token} call refreshes it. */
  invalidate(): void;
}

/** A failure a person must act on (missing password, missing profile, refused sign-in). */
export class AuthProfileError extends CaraError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = "AuthProfileError";
  }
}

const PROFILE_ID = /^[a-z0-9][a-z0-9._-]{0,30}:[a-z0-9][a-z0-9._-]{0,30}$/;

/** Whether `id` is a well-formed profile id. */
export function isProfileId(id: string): boolean {
  return PROFILE_ID.test(id);
}

/**
 * Checks a profile id (`<provider>:<name>`, lowercase letters, digits, `.`, `_`, `-`).
 *
 * @throws {AuthProfileError} `invalid_auth_profile_id`
 */
export function assertProfileId(id: string): void {
  if (!isProfileId(id)) {
    throw new AuthProfileError(
      "invalid_auth_profile_id",
      `Cannot use auth profile "${
        id.slice(0, 80)
      }": expected "<provider>:<name>" in lowercase letters, digits, ".", "_" or "-" (e.g. "codex:default")`,
    );
  }
}

/** The id of `provider`'s profile called `name` (default `default`). */
export function profileId(
  provider: AuthProfileProvider,
  name = "default",
): string {
  const id = `${provider}:${name}`;
  assertProfileId(id);
  return id;
}
