/**
 * Loads `@peculiar/x509` on first use. The library (and its ASN.1 stack)
 * costs about 200 ms to load, so only TLS start-up and `cara tls` pay it.
 *
 * @module
 */

/** The `@peculiar/x509` module. */
export type X509Module = typeof import("@peculiar/x509");

/** ECDSA P-256 with SHA-256: the only key type cara issues. */
export const EC_ALGORITHM = {
  name: "ECDSA",
  namedCurve: "P-256",
  hash: "SHA-256",
} as const;

/**
 * The x509 module bound to this runtime's WebCrypto.
 *
 * @example
 * ```ts
 * const x509 = await loadX509();
 * const cert = new x509.X509Certificate(pem);
 * ```
 */
export async function loadX509(): Promise<X509Module> {
  const x509 = await import("@peculiar/x509");
  x509.cryptoProvider.set(crypto);
  return x509;
}

/** A random positive 128-bit serial number as hex. */
export function randomSerialNumber(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f | 0x01;
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A new extractable ECDSA P-256 key pair. */
export function generateEcKeyPair(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(EC_ALGORITHM, true, ["sign", "verify"]);
}

/** The PKCS#8 PEM (`PRIVATE KEY`) of a private key. */
export async function privateKeyPem(
  x509: X509Module,
  key: CryptoKey,
): Promise<string> {
  const pkcs8 = await crypto.subtle.exportKey("pkcs8", key);
  return `${x509.PemConverter.encode(pkcs8, "PRIVATE KEY")}\n`;
}

/** Imports a PKCS#8 PEM ECDSA P-256 private key (extractable, for key checks). */
export function importPrivateKeyPem(
  x509: X509Module,
  pem: string,
): Promise<CryptoKey> {
  const der = x509.PemConverter.decodeFirst(pem);
  return crypto.subtle.importKey("pkcs8", der, EC_ALGORITHM, true, ["sign"]);
}

/** Days since the epoch → a Date at `days` after `from`. */
export function addDays(from: Date, days: number): Date {
  return new Date(from.getTime() + days * 86_400_000);
}
