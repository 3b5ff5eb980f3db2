/**
 * Step (b) of the connect order (protocol.md §5): a request that Tailscale
 * Serve proxied from the tailnet, with the login it claims confirmed by
 * `tailscale whois --json <ip>`.
 *
 * @module
 */
import type { CaraConfig } from "../config/mod.ts";
import { isLoopbackAddress } from "./local_direct.ts";

/** Looks up the login name of a tailnet IP; `null` when unknown. */
export type TailscaleWhois = (ip: string) => Promise<string | null>;

const WHOIS_TIMEOUT_MS = 5000;
const WHOIS_MAX_BYTES = 256 * 1024;

/** Whether `allowTailscale` is in force: explicit, else Serve mode without password auth. */
export function tailscaleAllowed(config: CaraConfig): boolean {
  const explicit = config.gateway.auth.allowTailscale;
  if (explicit !== undefined) return explicit;
  const tailscale = config.gateway.tailscale as
    | Record<string, unknown>
    | undefined;
  return tailscale?.mode === "serve" && config.gateway.auth.mode !== "password";
}

function loginOf(value: unknown): string | null {
  if (typeof value !== "object" || value === null) return null;
  const record = value as Record<string, unknown>;
  if (typeof record.LoginName === "string") return record.LoginName;
  const profile = record.UserProfile as Record<string, unknown> | undefined;
  return typeof profile?.LoginName === "string" ? profile.LoginName : null;
}

/**
 * The real whois: runs `tailscale whois --json <ip>` (no shell, 5 s limit,
 * output capped) and reads `LoginName` or `UserProfile.LoginName`.
 */
export async function tailscaleWhois(ip: string): Promise<string | null> {
  if (!/^[0-9a-fA-F:.]{2,45}$/.test(ip)) return null;
  try {
    const output = await new Deno.Command("tailscale", {
      args: ["whois", "--json", ip],
      stdin: "null",
      stdout: "piped",
      stderr: "null",
      signal: AbortSignal.timeout(WHOIS_TIMEOUT_MS),
    }).output();
    if (!output.success || output.stdout.length > WHOIS_MAX_BYTES) return null;
    return loginOf(JSON.parse(new TextDecoder().decode(output.stdout)));
  } catch {
    return null;
  }
}

/**
 * Whether the request is a Tailscale Serve request whose claimed login the
 * whois lookup confirms: loopback peer, the three forwarding headers, a
 * login header, and a case-insensitive match for the first forwarded IP.
 */
export async function tailscaleVerified(
  remoteIp: string,
  headers: Headers,
  whois: TailscaleWhois,
): Promise<boolean> {
  if (!isLoopbackAddress(remoteIp)) return false;
  const forwardedFor = headers.get("x-forwarded-for");
  if (
    forwardedFor === null || !headers.has("x-forwarded-proto") ||
    !headers.has("x-forwarded-host")
  ) return false;
  const login = (headers.get("tailscale-user-login") ??
    headers.get("x-tailscale-user"))?.trim();
  const clientIp = forwardedFor.split(",")[0]?.trim();
  if (!login || !clientIp) return false;
  const actual = await whois(clientIp);
  return actual !== null && actual.toLowerCase() === login.toLowerCase();
}
