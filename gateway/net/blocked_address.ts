/**
 * The address ranges outbound fetches on behalf of plugins, channels and
 * downloads may never reach (plugins.md §9): private, loopback, link-local,
 * documentation, multicast and reserved space, cloud metadata endpoints.
 *
 * @module
 */
import { embeddedIPv4, type IpAddress, parseIp } from "./ip_address.ts";

/** Options of {@linkcode blockedAddressReason}. */
export interface BlockedAddressOptions {
  /** Permit 100.64.0.0/10 (Tailscale / CGNAT); default false. */
  allowTailscale?: boolean;
}

interface Range {
  prefix: number[];
  bits: number;
  name: string;
}

function v4(
  a: number,
  b: number,
  c: number,
  d: number,
  bits: number,
  name: string,
): Range {
  return { prefix: [a, b, c, d], bits, name };
}

const IPV4_RANGES: readonly Range[] = [
  v4(0, 0, 0, 0, 8, "this network (0.0.0.0/8)"),
  v4(10, 0, 0, 0, 8, "private network (10.0.0.0/8)"),
  v4(127, 0, 0, 0, 8, "loopback (127.0.0.0/8)"),
  v4(169, 254, 0, 0, 16, "link-local / cloud metadata (169.254.0.0/16)"),
  v4(172, 16, 0, 0, 12, "private network (172.16.0.0/12)"),
  v4(192, 168, 0, 0, 16, "private network (192.168.0.0/16)"),
  v4(192, 0, 0, 0, 24, "IETF protocol assignments (192.0.0.0/24)"),
  v4(192, 0, 2, 0, 24, "documentation (192.0.2.0/24)"),
  v4(198, 51, 100, 0, 24, "documentation (198.51.100.0/24)"),
  v4(203, 0, 113, 0, 24, "documentation (203.0.113.0/24)"),
  v4(224, 0, 0, 0, 4, "multicast (224.0.0.0/4)"),
  v4(240, 0, 0, 0, 4, "reserved (240.0.0.0/4)"),
];

const TAILSCALE = v4(100, 64, 0, 0, 10, "Tailscale / CGNAT (100.64.0.0/10)");

function v6(groups: number[], bits: number, name: string): Range {
  const prefix: number[] = [];
  for (const g of groups) prefix.push(g >> 8, g & 0xff);
  while (prefix.length < 16) prefix.push(0);
  return { prefix, bits, name };
}

const IPV6_RANGES: readonly Range[] = [
  v6([], 128, "unspecified (::)"),
  v6([0, 0, 0, 0, 0, 0, 0, 1], 128, "loopback (::1)"),
  v6(
    [0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x254],
    128,
    "cloud metadata (fd00:ec2::254)",
  ),
  v6([0xfc00], 7, "unique local (fc00::/7)"),
  v6([0xfe80], 10, "link-local (fe80::/10)"),
  v6([0xff00], 8, "multicast (ff00::/8)"),
  v6([0x2001, 0x0db8], 32, "documentation (2001:db8::/32)"),
];

function inRange(bytes: Uint8Array, range: Range): boolean {
  let bits = range.bits;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((range.prefix[i] ?? 0) & mask)) {
      return false;
    }
  }
  return true;
}

/**
 * Why `address` may not be contacted (e.g. `"loopback (127.0.0.0/8)"`), or
 * `null` when it is a public address. Text that is not an IP address is
 * refused too. IPv6 addresses that embed an IPv4 address (mapped,
 * compatible, NAT64, 6to4) are judged by that IPv4 address.
 *
 * @example
 * ```ts
 * blockedAddressReason("::ffff:169.254.169.254"); // "link-local / cloud metadata …"
 * ```
 */
export function blockedAddressReason(
  address: string | IpAddress,
  options: BlockedAddressOptions = {},
): string | null {
  const ip = typeof address === "string" ? parseIp(address) : address;
  if (ip === null) return "not an IP address";
  if (ip.family === 6) {
    const hit = IPV6_RANGES.find((range) => inRange(ip.bytes, range));
    if (hit) return hit.name;
  }
  const bytes4 = ip.family === 4 ? ip.bytes : embeddedIPv4(ip);
  if (bytes4 === null) return null;
  const hit = IPV4_RANGES.find((range) => inRange(bytes4, range));
  if (hit) return hit.name;
  return !options.allowTailscale && inRange(bytes4, TAILSCALE)
    ? TAILSCALE.name
    : null;
}
