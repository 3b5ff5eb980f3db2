/**
 * The local-direct rule (protocol.md §5): a loopback TCP peer, a local Host
 * header and no forwarding headers. Proxies are never trusted here.
 *
 * @module
 */

const FORWARDING_HEADERS = [
  "x-forwarded-for",
  "x-real-ip",
  "x-forwarded-proto",
  "x-forwarded-host",
] as const;

const LOCAL_HOSTNAMES = new Set(["localhost", "127.0.0.1", "::1"]);

/** Whether an IP address is loopback: 127.0.0.0/8, `::1` or v4-mapped loopback. */
export function isLoopbackAddress(ip: string): boolean {
  const address = ip.trim().toLowerCase().replace(/^\[|\]$/g, "");
  if (address === "::1" || address === "0:0:0:0:0:0:0:1") return true;
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
  const octets = v4.split(".");
  if (octets.length !== 4 || octets[0] !== "127") return false;
  return octets.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255);
}

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
