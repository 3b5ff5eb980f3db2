/**
 * Parses IP address literals into bytes so range checks compare numbers, not
 * spellings (`::ffff:7f00:1`, `::ffff:127.0.0.1` and `127.0.0.1` are one host).
 *
 * @module
 */

/** A parsed address: 4 bytes for IPv4, 16 for IPv6. */
export interface IpAddress {
  family: 4 | 6;
  bytes: Uint8Array;
}

/**
 * Parses an IPv4 dotted quad or an IPv6 literal (with or without brackets,
 * zone ids refused); `null` when `text` is not an address.
 *
 * @example
 * ```ts
 * parseIp("[::ffff:127.0.0.1]"); // { family: 6, bytes: … }
 * ```
 */
export function parseIp(text: string): IpAddress | null {
  const bare = text.startsWith("[") && text.endsWith("]")
    ? text.slice(1, -1)
    : text;
  const v4 = parseIPv4(bare);
  if (v4) return { family: 4, bytes: v4 };
  const v6 = parseIPv6(bare);
  return v6 ? { family: 6, bytes: v6 } : null;
}

/**
 * The IPv4 address an IPv6 address carries, else `null`: IPv4-mapped
 * (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`), NAT64 (`64:ff9b::/96`)
 * and 6to4 (`2002:aabb:ccdd::/48`) all reach the embedded IPv4 host.
 */
export function embeddedIPv4(address: IpAddress): Uint8Array | null {
  if (address.family !== 6) return null;
  const b = address.bytes;
  if (b[0] === 0x20 && b[1] === 0x02) return b.slice(2, 6);
  const nat64 = b[0] === 0 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b;
  for (let i = nat64 ? 4 : 0; i < 10; i++) if (b[i] !== 0) return null;
  const mapped = b[10] === 0xff && b[11] === 0xff;
  if (mapped || (b[10] === 0 && b[11] === 0)) return b.slice(12);
  return null;
}

function parseIPv4(text: string): Uint8Array | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const bytes = new Uint8Array(4);
  for (const [i, part] of parts.entries()) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return null;
    const value = Number(part);
    if (value > 255) return null;
    bytes[i] = value;
  }
  return bytes;
}

function parseIPv6(text: string): Uint8Array | null {
  if (text.length > 45 || !/^[0-9a-fA-F:.]+$/.test(text)) return null;
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = groups(halves[0] ?? "");
  const tail = halves.length === 2 ? groups(halves[1] ?? "") : [];
  if (head === null || tail === null) return null;
  const count = head.length + tail.length;
  if (halves.length === 1 ? count !== 8 : count > 7) return null;
  const all = [...head, ...new Array<number>(8 - count).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((group, i) => {
    bytes[i * 2] = group >> 8;
    bytes[i * 2 + 1] = group & 0xff;
  });
  return bytes;
}

/** 16-bit groups of one side of `::`; a trailing dotted quad counts as two. */
function groups(text: string): number[] | null {
  if (text === "") return [];
  const parts = text.split(":");
  const out: number[] = [];
  for (const [i, part] of parts.entries()) {
    if (i === parts.length - 1 && part.includes(".")) {
      const v4 = parseIPv4(part);
      if (!v4) return null;
      out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    } else {
      if (!/^[0-9a-fA-F]{1,4}$/.test(part)) return null;
      out.push(parseInt(part, 16));
    }
  }
  return out;
}
