/**
 * Where the gateway listens: `gateway.bind` names → an address, and the rule
 * that only loopback may be served without authentication.
 *
 * @module
 */
import { CaraError } from "../errors.ts";
import { isLoopbackHost } from "../net/loopback.ts";

/** Options of {@linkcode resolveBindHost}. */
export interface ResolveBindOptions {
  /** The host's interfaces (default `Deno.networkInterfaces`). */
  interfaces?: () => Deno.NetworkInterfaceInfo[];
}

const LOOPBACK_NAMES = new Set(["loopback", "localhost", "local"]);
const LAN_NAMES = new Set(["lan", "local-network"]);
const ALL_NAMES = new Set(["auto", "all", "0.0.0.0"]);
const TAILNET_NAMES = new Set(["tailnet", "tailscale", "ts"]);
const HOST_PATTERN = /^[A-Za-z0-9.\-:%]+$/;

/**
 * Resolves a `gateway.bind` value to the address to listen on.
 *
 * @throws {CaraError} `bind_invalid` for an unusable value, `bind_no_lan` when
 * no private IPv4 exists, `bind_tailnet_unsupported` for tailnet names.
 * @example
 * ```ts
 * resolveBindHost("loopback"); // "127.0.0.1"
 * ```
 */
export function resolveBindHost(
  bind: string,
  options: ResolveBindOptions = {},
): string {
  const value = bind.trim();
  const name = value.toLowerCase();
  if (LOOPBACK_NAMES.has(name)) return "127.0.0.1";
  if (ALL_NAMES.has(name)) return "0.0.0.0";
  if (LAN_NAMES.has(name)) {
    return firstPrivateIpv4(options.interfaces ?? Deno.networkInterfaces);
  }
  if (TAILNET_NAMES.has(name)) {
    throw new CaraError(
      "bind_tailnet_unsupported",
      `Cannot bind to "${value}": tailnet binding needs tailscale, which this build does not drive yet; use "loopback" with tailscale serve or give the tailnet IP literally`,
    );
  }
  const literal = value.startsWith("[") && value.endsWith("]")
    ? value.slice(1, -1)
    : value;
  if (literal === "" || literal.length > 253 || !HOST_PATTERN.test(literal)) {
    throw new CaraError(
      "bind_invalid",
      `Cannot bind to "${
        value.slice(0, 80)
      }": expected loopback, lan, all, tailnet, or an IP address or hostname`,
    );
  }
  return literal;
}

/** Whether `address` is a loopback IP or `localhost` (see gateway/net/loopback.ts). */
export const isLoopbackAddress: (address: string) => boolean = isLoopbackHost;

/** Options of {@linkcode assertBindAllowed}. */
export interface BindCheckOptions {
  host: string;
  /** Whether a gateway token or password is configured. */
  authConfigured: boolean;
}

/**
 * Refuses to serve a non-loopback address without authentication.
 *
 * @throws {CaraError} `bind_requires_auth`.
 */
export function assertBindAllowed(options: BindCheckOptions): void {
  if (options.authConfigured || isLoopbackAddress(options.host)) return;
  throw new CaraError(
    "bind_requires_auth",
    `Refusing to listen on "${options.host}" without authentication: set gateway.auth.token (or CARAPACE_GATEWAY_TOKEN) or bind to loopback`,
  );
}

function firstPrivateIpv4(
  interfaces: () => Deno.NetworkInterfaceInfo[],
): string {
  const found = interfaces().find((info) =>
    info.family === "IPv4" && isPrivateIpv4(info.address)
  );
  if (found !== undefined) return found.address;
  throw new CaraError(
    "bind_no_lan",
    `Cannot bind to "lan": this host has no private IPv4 address (10/8, 172.16/12, 192.168/16); use "all" or give the address literally`,
  );
}

function isPrivateIpv4(address: string): boolean {
  const parts = address.split(".").map(Number);
  const [a, b] = parts;
  if (parts.length !== 4 || a === undefined || b === undefined) return false;
  return a === 10 || (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168);
}
