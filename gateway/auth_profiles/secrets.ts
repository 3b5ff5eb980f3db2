/**
 * The sealed half of a profile: checked before sealing (sizes, no empty
 * tokens) and after opening (a wrong password or a tampered file is named,
 * never the token).
 *
 * @module
 */
import { openValue } from "../config/secrets/envelope.ts";
import type { SecretKeyring } from "../config/secrets/keyring.ts";
import { AuthProfileError, type AuthProfileSecrets } from "./types.ts";

/** The longest token accepted. */
export const MAX_TOKEN_CHARS = 16 * 1024;

function checkToken(value: unknown, what: string, id: string): string {
  if (
    typeof value !== "string" || value === "" ||
    value.length > MAX_TOKEN_CHARS || /\s/.test(value)
  ) {
    throw new AuthProfileError(
      "invalid_auth_profile_token",
      `Cannot store auth profile "${id}": its ${what} is empty, longer than ${MAX_TOKEN_CHARS} characters or contains whitespace`,
    );
  }
  return value;
}

/** Optional fields as `undefined`-free secrets; throws on a bad token. */
export function sealableSecrets(
  secrets: {
    accessToken: string;
    refreshToken: string | undefined;
    tokenUrl: string | undefined;
    clientId: string | undefined;
  },
  id: string,
): AuthProfileSecrets {
  const out: AuthProfileSecrets = {
    accessToken: checkToken(secrets.accessToken, "access token", id),
  };
  if (secrets.refreshToken !== undefined) {
    out.refreshToken = checkToken(secrets.refreshToken, "refresh token", id);
  }
  if (secrets.tokenUrl !== undefined) out.tokenUrl = secrets.tokenUrl;
  if (secrets.clientId !== undefined) out.clientId = secrets.clientId;
  return out;
}

/**
 * Opens the envelope of profile `id`.
 *
 * @throws {AuthProfileError} `auth_profile_unreadable`
 */
export async function openSecrets(
  sealed: string,
  keyring: SecretKeyring,
  id: string,
): Promise<AuthProfileSecrets> {
  let value: unknown;
  try {
    value = JSON.parse(await openValue(sealed, keyring));
  } catch (cause) {
    throw new AuthProfileError(
      "auth_profile_unreadable",
      `Cannot read auth profile "${id}": its tokens do not decrypt (wrong CARAPACE_CONFIG_PASSWORD or a damaged file); set the password used at sign-in, or sign in again`,
      { cause },
    );
  }
  const v = value as Partial<Record<keyof AuthProfileSecrets, unknown>>;
  const out: AuthProfileSecrets = { accessToken: String(v.accessToken ?? "") };
  for (const key of ["refreshToken", "tokenUrl", "clientId"] as const) {
    if (typeof v[key] === "string") out[key] = v[key];
  }
  return out;
}
