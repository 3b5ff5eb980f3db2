/**
 * Which certificate the gateway serves (ops-and-security §3): the configured
 * `gateway.tls.certPath`/`keyPath`, else a self-signed one generated once
 * under `<state dir>/tls/` and reused while it is valid.
 *
 * @module
 */
import { join } from "node:path";
import type { Env } from "../config/paths.ts";
import { resolveStateDir } from "../config/paths.ts";
import type { GatewayConfig } from "../config/schema/gateway.ts";
import {
  readPrivateFile,
  writePrivateFile,
} from "../credentials/private_file.ts";
import { CaraError } from "../errors.ts";
import { inspectCertificate } from "./certificate_check.ts";
import { generateSelfSignedCertificate } from "./self_signed.ts";

/** PEM files larger than this are refused. */
export const MAX_PEM_BYTES = 64 * 1024;
// Regenerate an auto-generated certificate this close to its expiry.
const RENEW_BEFORE_MS = 7 * 86_400_000;

/** The certificate the gateway serves. */
export interface GatewayTls {
  /** PEM certificate chain. */
  cert: string;
  /** PEM private key. */
  key: string;
  /** SHA-256 of the leaf DER, `AB:CD:…`, for clients to pin. */
  fingerprint: string;
  certPath: string;
  keyPath: string;
  /** Whether cara generated the certificate during this call. */
  generated: boolean;
}

/** Options of {@linkcode resolveGatewayTls}. */
export interface ResolveGatewayTlsOptions {
  /** The clock (default now). */
  now?: Date;
}

/**
 * The TLS material for `gateway.tls`, or `null` when TLS is disabled.
 *
 * @throws {CaraError} `tls_config` for half-configured paths, unreadable or invalid files
 * @example
 * ```ts
 * const tls = await resolveGatewayTls(config.gateway, ctx.env);
 * if (tls) log.info("TLS certificate", { fingerprint: tls.fingerprint });
 * ```
 */
export async function resolveGatewayTls(
  gateway: Pick<GatewayConfig, "tls">,
  env: Env,
  options: ResolveGatewayTlsOptions = {},
): Promise<GatewayTls | null> {
  const tls = gateway.tls;
  if (!tls.enabled) return null;
  const now = options.now ?? new Date();
  if (tls.certPath !== undefined || tls.keyPath !== undefined) {
    if (tls.certPath === undefined || tls.keyPath === undefined) {
      throw new CaraError(
        "tls_config",
        `Cannot enable TLS: only one of gateway.tls.certPath and gateway.tls.keyPath is set; set both, or remove both to use a generated certificate`,
      );
    }
    return await loadConfigured(tls.certPath, tls.keyPath, now);
  }
  if (!tls.autoGenerate) {
    throw new CaraError(
      "tls_config",
      `Cannot enable TLS: gateway.tls.certPath and keyPath are not set and gateway.tls.autoGenerate is false; set both paths or set autoGenerate to true`,
    );
  }
  return await loadOrGenerate(join(resolveStateDir(env), "tls"), now);
}

async function loadConfigured(
  certPath: string,
  keyPath: string,
  now: Date,
): Promise<GatewayTls> {
  const cert = await readPem(certPath, "TLS certificate");
  const key = await readPem(keyPath, "TLS private key");
  let fingerprint: string;
  try {
    const facts = await inspectCertificate(cert, { now });
    if (now >= facts.notAfter) {
      throw new Error(`it expired on ${facts.notAfter.toISOString()}`);
    }
    fingerprint = facts.fingerprint;
  } catch (error) {
    throw new CaraError(
      "tls_config",
      `Cannot use TLS certificate "${certPath}": ${
        error instanceof Error ? error.message : String(error)
      }; set gateway.tls.certPath to a valid PEM certificate`,
      { cause: error },
    );
  }
  return { cert, key, fingerprint, certPath, keyPath, generated: false };
}

async function loadOrGenerate(dir: string, now: Date): Promise<GatewayTls> {
  const certPath = join(dir, "cert.pem");
  const keyPath = join(dir, "key.pem");
  const cert = await readPrivateFile(certPath, {
    maxBytes: MAX_PEM_BYTES,
    what: "TLS certificate",
  });
  const key = await readPrivateFile(keyPath, {
    maxBytes: MAX_PEM_BYTES,
    what: "TLS private key",
  });
  if (cert !== null && key !== null) {
    const facts = await inspectCertificate(cert, { keyPem: key, now })
      .catch(() => null);
    if (
      facts !== null && facts.current && facts.keyMatches === true &&
      facts.notAfter.getTime() - now.getTime() > RENEW_BEFORE_MS
    ) {
      return {
        cert,
        key,
        fingerprint: facts.fingerprint,
        certPath,
        keyPath,
        generated: false,
      };
    }
  }
  const fresh = await generateSelfSignedCertificate({ now });
  // Key first: a crash in between leaves a cert without its key, which the next start replaces.
  await writePrivateFile(keyPath, fresh.key);
  await writePrivateFile(certPath, fresh.cert);
  const facts = await inspectCertificate(fresh.cert, { now });
  return {
    ...fresh,
    fingerprint: facts.fingerprint,
    certPath,
    keyPath,
    generated: true,
  };
}

async function readPem(path: string, what: string): Promise<string> {
  let text: string | null;
  try {
    text = await readPrivateFile(path, {
      maxBytes: MAX_PEM_BYTES,
      what,
      followSymlinks: true,
    });
  } catch (error) {
    if (!(error instanceof CaraError)) throw error;
    throw new CaraError("tls_config", error.message, { cause: error });
  }
  if (text === null) {
    throw new CaraError(
      "tls_config",
      `Cannot enable TLS: ${what} "${path}" does not exist; fix the path in gateway.tls`,
    );
  }
  return text;
}
