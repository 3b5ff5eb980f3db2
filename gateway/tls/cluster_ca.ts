/**
 * The cluster certificate authority of `cara tls` (ops-and-security §3):
 * `cluster-ca.pem` + `cluster-ca-key.pem` in the CA dir, ECDSA P-256,
 * CN "Carapace Cluster CA", valid 3650 days.
 *
 * @module
 */
import { join } from "node:path";
import { type Env, resolveStateDir } from "../config/paths.ts";
import {
  readPrivateFile,
  writePrivateFile,
} from "../credentials/private_file.ts";
import { CaraError } from "../errors.ts";
import { inspectCertificate } from "./certificate_check.ts";
import {
  addDays,
  EC_ALGORITHM,
  generateEcKeyPair,
  loadX509,
  privateKeyPem,
  randomSerialNumber,
} from "./x509.ts";
import { MAX_PEM_BYTES } from "./resolve.ts";

/** File names inside a CA dir. */
export const CA_CERT_FILE = "cluster-ca.pem";
export const CA_KEY_FILE = "cluster-ca-key.pem";
export const CRL_FILE = "cluster-crl.json";

/** A loaded cluster CA. */
export interface ClusterCa {
  dir: string;
  certPem: string;
  keyPem: string;
  fingerprint: string;
  notAfter: Date;
}

/**
 * `<state dir>/cluster-ca`. (The reference uses the platform config dir and
 * ignores `CARAPACE_STATE_DIR`; cara keeps all state in one place.)
 */
export function defaultCaDir(env: Env): string {
  return join(resolveStateDir(env), "cluster-ca");
}

/**
 * Creates a new CA in `dir`; refuses to replace an existing one.
 *
 * @throws {CaraError} `tls_ca_exists` when `dir` already holds a CA
 * @example
 * ```ts
 * const ca = await initClusterCa(defaultCaDir(ctx.env));
 * ```
 */
export async function initClusterCa(
  dir: string,
  options: { now?: Date } = {},
): Promise<ClusterCa> {
  for (const name of [CA_CERT_FILE, CA_KEY_FILE]) {
    if (await exists(join(dir, name))) {
      throw new CaraError(
        "tls_ca_exists",
        `Cannot create a cluster CA in "${dir}": "${name}" already exists; keep using it, or move it away first (nodes signed by it stop being trusted)`,
      );
    }
  }
  const x509 = await loadX509();
  const now = options.now ?? new Date();
  const keys = await generateEcKeyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialNumber(),
    name: "CN=Carapace Cluster CA, O=Carapace",
    notBefore: now,
    notAfter: addDays(now, 3650),
    signingAlgorithm: EC_ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign |
          x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const certPem = `${cert.toString("pem")}\n`;
  const keyPem = await privateKeyPem(x509, keys.privateKey);
  await writePrivateFile(join(dir, CA_KEY_FILE), keyPem);
  await writePrivateFile(join(dir, CA_CERT_FILE), certPem);
  const facts = await inspectCertificate(certPem);
  return {
    dir,
    certPem,
    keyPem,
    fingerprint: facts.fingerprint,
    notAfter: facts.notAfter,
  };
}

/**
 * Loads the CA of `dir`.
 *
 * @throws {CaraError} `tls_ca_missing` / `tls_ca_invalid`
 */
export async function loadClusterCa(dir: string): Promise<ClusterCa> {
  const read = (name: string, what: string) =>
    readPrivateFile(join(dir, name), { maxBytes: MAX_PEM_BYTES, what });
  const certPem = await read(CA_CERT_FILE, "cluster CA certificate");
  const keyPem = await read(CA_KEY_FILE, "cluster CA key");
  if (certPem === null || keyPem === null) {
    throw new CaraError(
      "tls_ca_missing",
      `Cannot load the cluster CA from "${dir}": "${
        certPem === null ? CA_CERT_FILE : CA_KEY_FILE
      }" is missing; create a CA with "cara tls init-ca" or pass --ca-dir`,
    );
  }
  const facts = await inspectCertificate(certPem, { keyPem }).catch(
    (error: unknown) => {
      throw new CaraError(
        "tls_ca_invalid",
        `Cannot load the cluster CA from "${dir}": "${CA_CERT_FILE}" is not a valid certificate: ${
          error instanceof Error ? error.message : String(error)
        }`,
        { cause: error },
      );
    },
  );
  if (facts.keyMatches !== true) {
    throw new CaraError(
      "tls_ca_invalid",
      `Cannot load the cluster CA from "${dir}": "${CA_KEY_FILE}" is not the key of "${CA_CERT_FILE}"; restore the matching pair`,
    );
  }
  return {
    dir,
    certPem,
    keyPem,
    fingerprint: facts.fingerprint,
    notAfter: facts.notAfter,
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
