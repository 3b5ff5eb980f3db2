/**
 * Certificate fingerprints as cara prints and pins them: SHA-256 of the leaf
 * DER, uppercase hex bytes joined by ":". No x509 parser needed.
 *
 * @module
 */

/** The SHA-256 fingerprint of DER bytes: `AB:CD:…` (32 bytes). */
export async function fingerprintOf(der: Uint8Array): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new Uint8Array(der)),
  );
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0"))
    .join(":")
    .toUpperCase();
}

/**
 * The DER bytes of the first `CERTIFICATE` block of a PEM text.
 *
 * @throws {SyntaxError} when there is no certificate block or its base64 is bad
 */
export function certificateDer(pem: string): Uint8Array<ArrayBuffer> {
  const match = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/
    .exec(pem);
  if (match === null) {
    throw new SyntaxError("no PEM CERTIFICATE block found");
  }
  try {
    return Uint8Array.fromBase64((match[1] ?? "").replace(/\s+/g, ""));
  } catch {
    throw new SyntaxError("the PEM CERTIFICATE block is not valid base64");
  }
}

/** The fingerprint of the first certificate of a PEM text. */
export function pemFingerprint(pem: string): Promise<string> {
  return fingerprintOf(certificateDer(pem));
}

/** The PEM text of DER certificate bytes. */
export function derToPem(der: Uint8Array): string {
  const base64 = der.toBase64();
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${
    lines.join("\n")
  }\n-----END CERTIFICATE-----\n`;
}

/**
 * Normalizes a fingerprint typed by a person (any case, with or without
 * colons) to `AB:CD:…`; `null` when it is not 32 hex bytes.
 */
export function normalizeFingerprint(text: string): string | null {
  const hex = text.trim().replaceAll(":", "").toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) return null;
  return hex.match(/../g)?.join(":") ?? null;
}
