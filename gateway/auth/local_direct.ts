/**
 * The local-direct rule (protocol.md §5): a loopback TCP peer, a local Host
 * header and no forwarding headers. Proxies are never trusted here.
 *
 * @module
 */
import { isLoopbackIp } from "../net/loopback.ts";

const FORWARDING_HEADERS = [
  "x-forwarded-for",
  "x-real-ip",
  "x-forwarded-proto",
  "x-forwarded-host",
] as const;

const LOCAL_HOSTNAMES = new Set(["localhost", "127.0.0.1", "::1"]);

/** Whether `ip` is a loopback IP (see gateway/net/loopback.ts). */
export const isLoopbackAddress: (ip: string) => boolean = isLoopbackIp;

/** The hostname of a Host header value (`[::1]:80` → `::1`, `a:1` → `a`), lowercased. */
export function hostHeaderName(host: string): string {
  const value = host.trim().toLowerCase();
  if (value.startsWith("[")) {
    const end = value.indexOf("]");
    return end === -1 ? value : value.slice(1, end);
  }
  // A bare IPv6 address has several colons and no port.
  if (value.split(":").length > 2) return value;
  return value.replace(/:\d*$/, "").replace(/\.$/, "");
}

function localHost(host: string | null): boolean {
  if (host === null) return false;
  const name = hostHeaderName(host);
  return LOCAL_HOSTNAMES.has(name) ||
    (name.endsWith(".ts.net") && name.length > ".ts.net".length);
}

/**
 * Whether a connection is local-direct: loopback peer, Host `localhost`,
 * `127.0.0.1`, `::1` or `*.ts.net`, and none of the forwarding headers.
 *
 * @example
 * ```ts
 * isLocalDirect("127.0.0.1", new Headers({ host: "localhost:18789" })); // true
 * ```
 */
export function isLocalDirect(remoteIp: string, headers: Headers): boolean {
  if (!isLoopbackAddress(remoteIp)) return false;
  if (FORWARDING_HEADERS.some((name) => headers.has(name))) return false;
  return localHost(headers.get("host"));
}
