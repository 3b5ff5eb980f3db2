/**
 * Loopback checks shared by the bind rule, local-direct auth, the rate-limit
 * exemption and the CLI's plaintext rule.
 *
 * @module
 */

/** Whether `ip` is a loopback IP: 127.0.0.0/8 (also IPv4-mapped) or ::1. */
export function isLoopbackIp(ip: string): boolean {
  const address = ip.trim().toLowerCase().replace(/^\[|\]$/g, "");
  if (address === "::1" || address === "0:0:0:0:0:0:0:1") return true;
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
  const octets = v4.split(".");
  if (octets.length !== 4 || octets[0] !== "127") return false;
  return octets.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255);
}

/** Whether `host` (an IP or `localhost`) names this machine's loopback interface. */
export function isLoopbackHost(host: string): boolean {
  const name = host.trim().toLowerCase().replace(/^\[|\]$/g, "");
  return name === "localhost" || isLoopbackIp(name);
}
