/**
 * Base64url (no padding) encoding, and a decoder that also accepts standard
 * base64, as the device block of `connect` allows (protocol.md §4).
 *
 * @module
 */

/** Encodes bytes as base64url without padding. */
export function encodeBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(
    /=+$/,
    "",
  );
}

/**
 * Decodes base64url or standard base64 (padding optional); `null` when the
 * text is not valid in either alphabet.
 */
export function decodeBase64Loose(
  text: string,
): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) return null;
  const bare = text.replace(/=+$/, "").replace(/-/g, "+").replace(/_/g, "/");
  if (bare.length % 4 === 1) return null;
  try {
    const binary = atob(bare + "=".repeat((4 - (bare.length % 4)) % 4));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}
