/**
 * The SSRF guard every outbound fetch made on behalf of someone else goes
 * through (plugin http/media fetch, plugin artifact downloads, later channel
 * media): URL rules first, then resolve the host, check EVERY resolved
 * address, and hand back one validated address to pin the connection to, so
 * a DNS answer that changes between check and connect (rebinding) cannot
 * redirect the request.
 *
 * @module
 */
import { CaraError } from "../errors.ts";
import { blockedAddressReason } from "./blocked_address.ts";
import { isBlockedHostname } from "./blocked_hostname.ts";
import { parseIp } from "./ip_address.ts";

/** The longest URL accepted. */
export const MAX_URL_LENGTH = 2048;

/** Resolves a host name to IP address literals (A and AAAA). */
export type HostResolver = (hostname: string) => Promise<string[]>;

/** Options of the guard; the defaults are the strict plugin policy. */
export interface SsrfOptions {
  /** Allowed URL schemes (default `["https:"]`; artifact downloads add `"http:"`). */
  schemes?: readonly ("http:" | "https:")[];
  /** Permit 100.64.0.0/10 targets (`plugins.sandbox.allow_tailscale`). */
  allowTailscale?: boolean;
  /** DNS resolution (default {@linkcode resolveHost} via `Deno.resolveDns`). */
  resolve?: HostResolver;
  /**
   * Exact IP addresses the operator explicitly trusts although they are in a
   * blocked range (e.g. a LAN artifact mirror). Empty by default.
   */
  trustedAddresses?: readonly string[];
}

/** A request was refused by the SSRF rules; nothing was sent. */
export class SsrfError extends CaraError {
  constructor(message: string) {
    super("ssrf_blocked", message);
    this.name = "SsrfError";
  }
}

/** A URL that passed the guard and the address to connect to. */
export interface PinnedTarget {
  url: URL;
  /** The validated IP address literal (no brackets). */
  address: string;
  family: 4 | 6;
}

/**
 * Checks `text` against the URL rules (length, scheme, no credentials,
 * blocked names, literal blocked addresses) without any DNS lookup.
 *
 * @throws {SsrfError} when a rule is broken
 */
export function checkUrl(text: string, options: SsrfOptions = {}): URL {
  if (text.length > MAX_URL_LENGTH) {
    throw new SsrfError(
      `Cannot fetch URL: it is ${text.length} characters long; the limit is ${MAX_URL_LENGTH}`,
    );
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SsrfError(
      `Cannot fetch "${shorten(text)}": it is not a valid URL`,
    );
  }
  const schemes = options.schemes ?? ["https:"];
  if (!(schemes as readonly string[]).includes(url.protocol)) {
    throw new SsrfError(
      `Cannot fetch "${
        shorten(text)
      }": scheme "${url.protocol}" is not allowed; use ${
        schemes.map((s) => `"${s.slice(0, -1)}"`).join(" or ")
      }`,
    );
  }
  if (url.username !== "" || url.password !== "") {
    throw new SsrfError(
      `Cannot fetch "${url.host}${url.pathname}": URLs with credentials are not allowed; pass them as a header`,
    );
  }
  if (isBlockedHostname(url.hostname)) {
    throw new SsrfError(
      `Cannot fetch "${url.origin}": host "${url.hostname}" is a local or metadata name`,
    );
  }
  const literal = parseIp(url.hostname);
  if (literal) checkAddress(url, url.hostname.replace(/^\[|\]$/g, ""), options);
  return url;
}

/**
 * Checks the URL, resolves its host and validates every address; returns the
 * first validated address to pin the connection to.
 *
 * @throws {SsrfError} when the URL or any resolved address is refused
 * @example
 * ```ts
 * const target = await resolvePinned("https://api.example.com/v1");
 * // connect to target.address, verify TLS for target.url.hostname
 * ```
 */
export async function resolvePinned(
  text: string,
  options: SsrfOptions = {},
): Promise<PinnedTarget> {
  const url = checkUrl(text, options);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const literal = parseIp(host);
  if (literal) return { url, address: host, family: literal.family };
  let addresses: string[];
  try {
    addresses = await (options.resolve ?? resolveHost)(host);
  } catch (error) {
    throw new SsrfError(
      `Cannot fetch "${url.origin}": host "${host}" did not resolve (${
        errorText(error)
      })`,
    );
  }
  if (addresses.length === 0) {
    throw new SsrfError(
      `Cannot fetch "${url.origin}": host "${host}" has no addresses`,
    );
  }
  const parsed = addresses.map((address) => {
    const ip = parseIp(address);
    if (!ip) {
      throw new SsrfError(
        `Cannot fetch "${url.origin}": the resolver returned "${address}", which is not an IP address`,
      );
    }
    checkAddress(url, address, options);
    return { address, family: ip.family };
  });
  const first = parsed[0]!;
  return { url, address: first.address, family: first.family };
}

/** Resolves A and AAAA records with `Deno.resolveDns`. */
export async function resolveHost(hostname: string): Promise<string[]> {
  const [v4, v6] = await Promise.allSettled([
    Deno.resolveDns(hostname, "A"),
    Deno.resolveDns(hostname, "AAAA"),
  ]);
  const found = [
    ...(v4.status === "fulfilled" ? v4.value : []),
    ...(v6.status === "fulfilled" ? v6.value : []),
  ];
  if (found.length === 0 && v4.status === "rejected") throw v4.reason;
  return found;
}

function checkAddress(url: URL, address: string, options: SsrfOptions): void {
  if (options.trustedAddresses?.includes(address)) return;
  const reason = blockedAddressReason(address, {
    allowTailscale: options.allowTailscale ?? false,
  });
  if (reason !== null) {
    throw new SsrfError(
      `Cannot fetch "${url.origin}": address "${address}" is ${reason}, which plugins and downloads may not reach`,
    );
  }
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
