/**
 * Timing-safe secret comparison: both sides are hashed with SHA-256 first, so
 * the comparison takes the same time whatever the lengths or contents.
 *
 * @module
 */
import { sha256 } from "@noble/hashes/sha2.js";

const encoder = new TextEncoder();

function digest(text: string): Uint8Array {
  return sha256(encoder.encode(text));
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ (b[i] ?? 0);
  return diff === 0;
}

/**
 * Whether two secrets are equal, compared in constant time over their SHA-256
 * digests.
 *
 * @example
 * ```ts
 * secretsEqual(presented, configured); // true only for the same text
 * ```
 */
export function secretsEqual(presented: string, expected: string): boolean {
  return equalBytes(digest(presented), expectedDigest(expected));
}

// The configured secret is the same on every request: hash it once.
let lastExpected: { text: string; digest: Uint8Array } | undefined;
function expectedDigest(text: string): Uint8Array {
  if (lastExpected?.text !== text) {
    lastExpected = { text, digest: digest(text) };
  }
  return lastExpected.digest;
}

/** Lowercase hex SHA-256 of the UTF-8 text (how tokens are stored). */
export function sha256Hex(text: string): string {
  return Array.from(digest(text), (b) => b.toString(16).padStart(2, "0"))
    .join("");
}

/** Whether `presented` hashes to the stored hex digest, compared in constant time. */
export function matchesHash(presented: string, storedHex: string): boolean {
  return hexEqual(sha256Hex(presented), storedHex);
}

/** Whether two hex digests are equal, compared in constant time. */
export function hexEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) {
    diff |= a.charCodeAt(i) ^ (b.charCodeAt(i) | 0);
  }
  return diff === 0;
}
