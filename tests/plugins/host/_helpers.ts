/**
 * Helpers of the host-function tests: an in-memory credential store, a
 * logger that records entries, a manual clock and an HTTPS certificate for
 * the loopback peer under the name `peer.test`.
 *
 * @module
 */
import type { CredentialStore } from "../../../plugins/host/types.ts";
import type { HostLogger } from "../../../plugins/host/host_context.ts";
import {
  addDays,
  EC_ALGORITHM,
  generateEcKeyPair,
  loadX509,
  privateKeyPem,
  randomSerialNumber,
} from "../../../gateway/tls/x509.ts";

/** A real CredentialStore kept in a Map. */
export class MemoryCredentialStore implements CredentialStore {
  readonly entries: Map<string, string> = new Map();
  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.entries.get(key));
  }
  set(key: string, value: string): Promise<void> {
    this.entries.set(key, value);
    return Promise.resolve();
  }
  delete(key: string): Promise<void> {
    this.entries.delete(key);
    return Promise.resolve();
  }
  list(prefix: string): Promise<string[]> {
    return Promise.resolve(
      [...this.entries.keys()].filter((k) => k.startsWith(prefix)),
    );
  }
}

/** One recorded log entry. */
export interface Recorded {
  level: string;
  target: string;
  message: string;
}

/** A HostLogger that keeps what it is given. */
export class RecordingLogger implements HostLogger {
  readonly entries: Recorded[] = [];
  debug(target: string, message: string): void {
    this.entries.push({ level: "debug", target, message });
  }
  info(target: string, message: string): void {
    this.entries.push({ level: "info", target, message });
  }
  warn(target: string, message: string): void {
    this.entries.push({ level: "warn", target, message });
  }
  error(target: string, message: string): void {
    this.entries.push({ level: "error", target, message });
  }
}

/** A clock the test moves by hand. */
export function manualClock(
  start = 1_700_000_000_000,
): { now: () => number; advance(ms: number): void } {
  let time = start;
  return { now: () => time, advance: (ms) => void (time += ms) };
}

/** A self-signed certificate for `peer.test` (PEM cert and key). */
export async function peerCertificate(): Promise<
  { cert: string; key: string }
> {
  const x509 = await loadX509();
  const keys = await generateEcKeyPair();
  const now = new Date();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialNumber(),
    name: "CN=peer.test",
    notBefore: addDays(now, -1),
    notAfter: addDays(now, 1),
    signingAlgorithm: EC_ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([{
        type: "dns",
        value: "peer.test",
      }]),
    ],
  });
  return {
    cert: `${cert.toString("pem")}\n`,
    key: await privateKeyPem(x509, keys.privateKey),
  };
}
