/**
 * The gateway's auto-generated self-signed certificate (ops-and-security §3):
 * ECDSA P-256, CN "Carapace Gateway", O "Carapace", SAN localhost, 127.0.0.1
 * and ::1, valid from the start of today (UTC) for 365 days.
 *
 * @module
 */
import {
  addDays,
  EC_ALGORITHM,
  generateEcKeyPair,
  loadX509,
  privateKeyPem,
  randomSerialNumber,
} from "./x509.ts";

/** A PEM certificate and its PKCS#8 PEM private key. */
export interface CertificateAndKey {
  cert: string;
  key: string;
}

/** Options of {@linkcode generateSelfSignedCertificate}. */
export interface SelfSignedOptions {
  /** The issuing time (default now). */
  now?: Date;
  /** Validity in days from the start of `now`'s UTC day (default 365). */
  days?: number;
}

/**
 * Generates a fresh key pair and self-signed gateway certificate.
 *
 * @example
 * ```ts
 * const { cert, key } = await generateSelfSignedCertificate();
 * ```
 */
export async function generateSelfSignedCertificate(
  options: SelfSignedOptions = {},
): Promise<CertificateAndKey> {
  const x509 = await loadX509();
  const now = options.now ?? new Date();
  const today = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()),
  );
  const keys = await generateEcKeyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialNumber(),
    name: "CN=Carapace Gateway, O=Carapace",
    notBefore: today,
    notAfter: addDays(today, options.days ?? 365),
    signingAlgorithm: EC_ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: "dns", value: "localhost" },
        { type: "ip", value: "127.0.0.1" },
        { type: "ip", value: "::1" },
      ]),
    ],
  });
  return {
    cert: `${cert.toString("pem")}\n`,
    key: await privateKeyPem(x509, keys.privateKey),
  };
}
