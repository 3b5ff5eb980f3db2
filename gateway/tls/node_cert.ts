/**
 * Node certificates signed by the cluster CA (`cara tls issue-cert`):
 * ECDSA P-256, CN `<node_id>`, O "Carapace Cluster", SAN DNS `<node_id>`,
 * valid 365 days, written as `<node_id>-cert.pem` and `<node_id>-key.pem`.
 *
 * @module
 */
import { join } from "node:path";
import { writePrivateFile } from "../credentials/private_file.ts";
import { CaraError } from "../errors.ts";
import type { ClusterCa } from "./cluster_ca.ts";
import { pemFingerprint } from "./fingerprint.ts";
import {
  addDays,
  EC_ALGORITHM,
  generateEcKeyPair,
  importPrivateKeyPem,
  loadX509,
  privateKeyPem,
  randomSerialNumber,
} from "./x509.ts";

/** A node id usable as a DNS label and a file name. */
const NODE_ID = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,61}[A-Za-z0-9])?$/;

/** An issued node certificate. */
export interface IssuedNodeCertificate {
  nodeId: string;
  certPath: string;
  keyPath: string;
  fingerprint: string;
  notAfter: Date;
}

/**
 * Checks a node id: 1–63 letters, digits, `.` and `-`, not starting or ending
 * with `.`/`-`, no `..` (it becomes a file name and a DNS name).
 *
 * @throws {CaraError} `tls_node_id_invalid`
 */
export function assertNodeId(nodeId: string): void {
  if (!NODE_ID.test(nodeId) || nodeId.includes("..")) {
    throw new CaraError(
      "tls_node_id_invalid",
      `Cannot use node id "${nodeId}": expected 1-63 letters, digits, "." or "-", starting and ending with a letter or digit`,
    );
  }
}

/**
 * Issues a certificate for `nodeId`, signed by `ca`, into `outputDir`.
 *
 * @example
 * ```ts
 * const issued = await issueNodeCertificate(ca, "node-a", { outputDir: join(ca.dir, "nodes") });
 * ```
 */
export async function issueNodeCertificate(
  ca: ClusterCa,
  nodeId: string,
  options: { outputDir: string; now?: Date },
): Promise<IssuedNodeCertificate> {
  assertNodeId(nodeId);
  const x509 = await loadX509();
  const now = options.now ?? new Date();
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await importPrivateKeyPem(x509, ca.keyPem);
  const keys = await generateEcKeyPair();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    subject: `CN=${nodeId}, O=Carapace Cluster`,
    issuer: caCert.subject,
    notBefore: now,
    notAfter: addDays(now, 365),
    signingAlgorithm: EC_ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: caKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature |
          x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.SubjectAlternativeNameExtension([
        { type: "dns", value: nodeId },
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  const certPem = `${cert.toString("pem")}\n`;
  const certPath = join(options.outputDir, `${nodeId}-cert.pem`);
  const keyPath = join(options.outputDir, `${nodeId}-key.pem`);
  await writePrivateFile(keyPath, await privateKeyPem(x509, keys.privateKey));
  await writePrivateFile(certPath, certPem);
  return {
    nodeId,
    certPath,
    keyPath,
    fingerprint: await pemFingerprint(certPem),
    notAfter: cert.notAfter,
  };
}
