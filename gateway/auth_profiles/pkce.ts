/**
 * PKCE (RFC 7636, method S256) and the OAuth `state` value: random,
 * URL-safe, never reused.
 *
 * @module
 */

/** A PKCE verifier and its S256 challenge. */
export interface Pkce {
  verifier: string;
  challenge: string;
  method: "S256";
}

function randomUrlSafe(bytes: number): string {
  return crypto.getRandomValues(new Uint8Array(bytes)).toBase64({
    alphabet: "base64url",
    omitPadding: true,
  });
}

/** The S256 challenge of `verifier`: base64url(SHA-256(verifier)), no padding. */
export async function pkceChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(verifier),
  );
  return new Uint8Array(digest).toBase64({
    alphabet: "base64url",
    omitPadding: true,
  });
}

/**
 * A fresh verifier (43 characters from 32 random bytes) and its challenge.
 *
 * @example
 * ```ts
 * const { verifier, challenge } = await createPkce();
 * ```
 */
export async function createPkce(): Promise<Pkce> {
  const verifier = randomUrlSafe(32);
  return { verifier, challenge: await pkceChallenge(verifier), method: "S256" };
}

/** A fresh OAuth `state` (32 random bytes, base64url). */
export function randomState(): string {
  return randomUrlSafe(32);
}
