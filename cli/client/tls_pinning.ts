/**
 * TLS to a gateway with trust-on-first-use pinning.
 *
 * Why this design: Deno's `WebSocket` takes no CA and cannot skip
 * verification. `node:tls` with `rejectUnauthorized:false` hands over the
 * peer certificate, but then nothing checks that the server holds its key,
 * so it is used only as a probe to read the presented certificate (for
 * `--trust` and for the mismatch report) and never carries credentials. The
 * real connection is `Deno.startTls` with the pinned certificate as
 * `caCerts`: rustls verifies the chain to that anchor, the handshake
 * signature (possession of the key) and the name, here a SAN of the pinned
 * certificate (`localhost`, which no public CA can certify, for cara's own
 * certificates). A replaced certificate therefore fails verification, and
 * the probe turns that into the loud fingerprint-changed error.
 *
 * @module
 */
import { CaraError } from "../../gateway/errors.ts";
import type { Env } from "../../gateway/config/paths.ts";
import { derToPem, fingerprintOf } from "../../gateway/tls/fingerprint.ts";
import {
  type KnownGateway,
  readKnownGateways,
  rememberGateway,
} from "./known_gateways.ts";

/** Options of {@linkcode connectGatewayTls}. */
export interface GatewayTlsOptions {
  host: string;
  port: number;
  /** Pin the presented certificate when it is not trusted yet. */
  trust: boolean;
  env: Env;
  /** Where notices go (e.g. "pinned …"). */
  notice: (line: string) => void;
}

/**
 * Opens a verified TLS connection to the gateway.
 *
 * @throws {CaraError} `tls_untrusted` (unknown certificate, no --trust) or
 * `tls_fingerprint_changed` (the pinned certificate was replaced)
 */
export async function connectGatewayTls(
  options: GatewayTlsOptions,
): Promise<Deno.TlsConn> {
  const hostPort = hostPortOf(options.host, options.port);
  const pinned = (await readKnownGateways(options.env))[hostPort];
  if (pinned !== undefined) {
    try {
      return await connectPinned(options, pinned);
    } catch (error) {
      const presented = await probeCertificate(options).catch(() => null);
      if (presented !== null && presented.fingerprint !== pinned.fingerprint) {
        throw fingerprintChanged(hostPort, pinned, presented.fingerprint);
      }
      throw new CaraError(
        "tls_failed",
        `Cannot connect to gateway "${hostPort}" over TLS: ${reasonOf(error)}`,
        { cause: error },
      );
    }
  }
  try {
    const conn = await Deno.connectTls({
      hostname: options.host,
      port: options.port,
    });
    await conn.handshake();
    return conn;
  } catch (error) {
    if (!(error instanceof Deno.errors.InvalidData)) {
      throw new CaraError(
        "tls_failed",
        `Cannot connect to gateway "${hostPort}" over TLS: ${reasonOf(error)}`,
        { cause: error },
      );
    }
    const presented = await probeCertificate(options);
    if (!options.trust) {
      throw new CaraError(
        "tls_untrusted",
        `Cannot verify the TLS certificate of gateway "${hostPort}": ${
          reasonOf(error)
        }; its SHA-256 fingerprint is ${presented.fingerprint}; if that matches the fingerprint the gateway logged at start, run again with --trust to pin it`,
        { cause: error },
      );
    }
    const gateway: KnownGateway = {
      fingerprint: presented.fingerprint,
      certificate: presented.pem,
      serverName: chooseServerName(options.host, presented.altNames),
      trustedAt: new Date().toISOString(),
    };
    const conn = await connectPinned(options, gateway);
    await rememberGateway(options.env, hostPort, gateway);
    options.notice(
      `Trusted gateway "${hostPort}" with certificate fingerprint ${gateway.fingerprint} (pinned in known_gateways.json)`,
    );
    return conn;
  }
}

/** `host:port`, IPv6 hosts in brackets. */
export function hostPortOf(host: string, port: number): string {
  return `${host.includes(":") ? `[${host}]` : host}:${port}`;
}

async function connectPinned(
  options: GatewayTlsOptions,
  pinned: KnownGateway,
): Promise<Deno.TlsConn> {
  const tcp = await Deno.connect({
    hostname: options.host,
    port: options.port,
  });
  try {
    const conn = await Deno.startTls(tcp, {
      hostname: pinned.serverName,
      caCerts: [pinned.certificate],
    });
    await conn.handshake();
    return conn;
  } catch (error) {
    try {
      tcp.close();
    } catch { /* closed by startTls */ }
    throw error;
  }
}

interface PresentedCertificate {
  fingerprint: string;
  pem: string;
  altNames: string;
}

/** Reads the certificate the server presents, without trusting it. */
async function probeCertificate(
  options: GatewayTlsOptions,
): Promise<PresentedCertificate> {
  const tls = await import("node:tls");
  const socket = tls.connect({
    host: options.host,
    port: options.port,
    rejectUnauthorized: false,
    ...(isIp(options.host) ? {} : { servername: options.host }),
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("secureConnect", () => resolve());
      socket.once("error", reject);
      socket.setTimeout(
        10_000,
        () => reject(new Error("no TLS answer within 10 s")),
      );
    });
    const peer = socket.getPeerCertificate(false);
    const der = new Uint8Array(peer.raw);
    return {
      fingerprint: await fingerprintOf(der),
      pem: derToPem(der),
      altNames: peer.subjectaltname ?? "",
    };
  } finally {
    socket.destroy();
  }
}

function chooseServerName(host: string, altNames: string): string {
  const names = altNames.split(",").map((entry) => {
    const [kind, ...rest] = entry.trim().split(":");
    return { kind: kind ?? "", value: rest.join(":").trim() };
  });
  const has = (kind: string, value: string) =>
    names.some((n) => n.kind.startsWith(kind) && n.value === value);
  if (has(isIp(host) ? "IP" : "DNS", host)) return host;
  if (has("DNS", "localhost")) return "localhost";
  return names.find((n) => n.kind === "DNS")?.value ?? host;
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(":");
}

function fingerprintChanged(
  hostPort: string,
  pinned: KnownGateway,
  presented: string,
): CaraError {
  return new CaraError(
    "tls_fingerprint_changed",
    [
      `Refusing to connect to gateway "${hostPort}": ITS TLS CERTIFICATE HAS CHANGED`,
      "",
      "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@",
      "@  WARNING: THE GATEWAY'S CERTIFICATE FINGERPRINT CHANGED  @",
      "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@",
      "Someone may be intercepting this connection, or the gateway's certificate was replaced.",
      `  pinned:    ${pinned.fingerprint} (trusted ${
        pinned.trustedAt || "earlier"
      })`,
      `  presented: ${presented}`,
      "No credentials were sent. If the change is expected (you regenerated the",
      `certificate), remove "${hostPort}" from known_gateways.json in the state dir`,
      "and connect again with --trust.",
    ].join("\n"),
  );
}

function reasonOf(error: unknown): string {
  return error instanceof Error
    ? error.message.replace(/\s*\(os error \d+\)/, "")
    : String(error);
}
