/**
 * SHA-256 as lowercase hex, of text (UTF-8) or bytes, through WebCrypto.
 * (Constant-time secret comparison lives in gateway/auth/secret_compare.ts.)
 *
 * @module
 */

/**
 * Lowercase hex SHA-256 of `data`.
 *
 * @example
 * ```ts
 * await sha256Hex("abc"); // "ba7816bf…"
 * ```
 */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === "string"
    ? new TextEncoder().encode(data)
    : data;
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>),
  );
  return encodeHex(digest);
}

/** The bytes as lowercase hex. */
export function encodeHex(bytes: Uint8Array): string {
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}
