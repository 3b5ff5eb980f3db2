/**
 * The cluster's revocation list, `cluster-crl.json`:
 * `{version: 1, entries: [{fingerprint, nodeId, revokedAtMs, reason?}]}`.
 *
 * @module
 */
import { join } from "node:path";
import {
  readPrivateFile,
  writePrivateFile,
} from "../credentials/private_file.ts";
import { CaraError } from "../errors.ts";
import { CRL_FILE } from "./cluster_ca.ts";
import { normalizeFingerprint } from "./fingerprint.ts";

/** The largest CRL file read: 16 MiB. */
export const MAX_CRL_BYTES = 16 * 1024 * 1024;
const MAX_REASON = 1024;

/** One revoked certificate. */
export interface CrlEntry {
  fingerprint: string;
  nodeId: string;
  revokedAtMs: number;
  reason?: string;
}

/** The revocation list. */
export interface Crl {
  version: 1;
  entries: CrlEntry[];
}

/**
 * Reads the CRL of a CA dir; a missing file is an empty list.
 *
 * @throws {CaraError} `tls_crl_invalid` for a file that is not a valid CRL
 */
export async function readCrl(caDir: string): Promise<Crl> {
  const path = join(caDir, CRL_FILE);
  const text = await readPrivateFile(path, {
    maxBytes: MAX_CRL_BYTES,
    what: "cluster CRL",
  });
  if (text === null) return { version: 1, entries: [] };
  const crl = parseCrl(text);
  if (crl === null) {
    throw new CaraError(
      "tls_crl_invalid",
      `Cannot read cluster CRL "${path}": expected {"version": 1, "entries": [{fingerprint, nodeId, revokedAtMs}]}; restore it from a backup`,
    );
  }
  return crl;
}

/** Result of {@linkcode revokeCertificate}. */
export interface RevokeResult {
  /** `false` when the fingerprint was already on the list. */
  revoked: boolean;
  entry: CrlEntry;
}

/**
 * Adds a fingerprint to the CRL (idempotent, case-insensitive).
 *
 * @throws {CaraError} `tls_fingerprint_invalid` for a malformed fingerprint
 */
export async function revokeCertificate(
  caDir: string,
  request: { fingerprint: string; nodeId: string; reason?: string; now?: Date },
): Promise<RevokeResult> {
  const fingerprint = normalizeFingerprint(request.fingerprint);
  if (fingerprint === null) {
    throw new CaraError(
      "tls_fingerprint_invalid",
      `Cannot revoke "${request.fingerprint}": expected a SHA-256 fingerprint of 32 hex bytes such as "AB:CD:…"`,
    );
  }
  const crl = await readCrl(caDir);
  const existing = crl.entries.find((entry) =>
    normalizeFingerprint(entry.fingerprint) === fingerprint
  );
  if (existing !== undefined) return { revoked: false, entry: existing };
  const entry: CrlEntry = {
    fingerprint,
    nodeId: request.nodeId,
    revokedAtMs: (request.now ?? new Date()).getTime(),
  };
  const reason = request.reason?.trim();
  if (reason) entry.reason = reason.slice(0, MAX_REASON);
  crl.entries.push(entry);
  await writePrivateFile(
    join(caDir, CRL_FILE),
    `${JSON.stringify(crl, null, 2)}\n`,
  );
  return { revoked: true, entry };
}

function parseCrl(text: string): Crl | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const { version, entries } = value as Record<string, unknown>;
  if (version !== 1 || !Array.isArray(entries)) return null;
  const parsed: CrlEntry[] = [];
  for (const raw of entries) {
    if (typeof raw !== "object" || raw === null) return null;
    const e = raw as Record<string, unknown>;
    if (
      typeof e.fingerprint !== "string" || typeof e.nodeId !== "string" ||
      typeof e.revokedAtMs !== "number" ||
      (e.reason !== undefined && typeof e.reason !== "string")
    ) return null;
    const entry: CrlEntry = {
      fingerprint: e.fingerprint,
      nodeId: e.nodeId,
      revokedAtMs: e.revokedAtMs,
    };
    if (typeof e.reason === "string") entry.reason = e.reason;
    parsed.push(entry);
  }
  return { version: 1, entries: parsed };
}
