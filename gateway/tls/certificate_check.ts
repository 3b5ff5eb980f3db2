/**
 * What cara needs to know about a PEM certificate before serving or reusing
 * it: does it parse, is it in its validity window, does the key belong to it.
 *
 * @module
 */
import { pemFingerprint } from "./fingerprint.ts";
import { importPrivateKeyPem, loadX509 } from "./x509.ts";

/** The facts of {@linkcode inspectCertificate}. */
export interface CertificateFacts {
  fingerprint: string;
  subject: string;
  notBefore: Date;
  notAfter: Date;
  /** `notBefore <= now < notAfter`. */
  current: boolean;
  /** Whether the private key is the certificate's key (`null` when no key was given). */
  keyMatches: boolean | null;
}

/**
 * Parses `certPem` (and checks `keyPem` against it when given).
 *
 * @throws {Error} when the certificate does not parse
 */
export async function inspectCertificate(
  certPem: string,
  options: { keyPem?: string; now?: Date } = {},
): Promise<CertificateFacts> {
  const x509 = await loadX509();
  const cert = new x509.X509Certificate(certPem);
  const now = options.now ?? new Date();
  let keyMatches: boolean | null = null;
  if (options.keyPem !== undefined) {
    keyMatches = await keyMatchesCertificate(cert, options.keyPem);
  }
  return {
    fingerprint: await pemFingerprint(certPem),
    subject: cert.subject,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    current: cert.notBefore <= now && now < cert.notAfter,
    keyMatches,
  };
}

async function keyMatchesCertificate(
  cert: InstanceType<Awaited<ReturnType<typeof loadX509>>["X509Certificate"]>,
  keyPem: string,
): Promise<boolean> {
  const x509 = await loadX509();
  try {
    const privateKey = await importPrivateKeyPem(x509, keyPem);
    // An EC private key's JWK carries its public point (x, y): compare those.
    const fromKey = await crypto.subtle.exportKey("jwk", privateKey);
    const publicKey = await cert.publicKey.export(
      { name: "ECDSA", namedCurve: "P-256" },
      ["verify"],
    );
    const fromCert = await crypto.subtle.exportKey("jwk", publicKey);
    return fromKey.x === fromCert.x && fromKey.y === fromCert.y;
  } catch {
    return false;
  }
}
