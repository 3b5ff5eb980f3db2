/**
 * Whether the gateway has a credential a remote client must present.
 *
 * @module
 */
import type { CaraConfig } from "../config/mod.ts";
import type { Env } from "../config/paths.ts";

function present(value: string | null | undefined): boolean {
  return typeof value === "string" && value.trim() !== "";
}

/**
 * True when `gateway.auth.mode` demands a credential and one is resolvable
 * (env beats config). Modes `none` and `local` never count: they admit only
 * local-direct clients, so they do not protect a non-loopback listener.
 */
export function authConfigured(config: CaraConfig, env: Env): boolean {
  const auth = config.gateway.auth;
  if (auth.mode === "none" || auth.mode === "local") return false;
  const token = present(env.CARAPACE_GATEWAY_TOKEN) || present(auth.token);
  const password = present(env.CARAPACE_GATEWAY_PASSWORD) ||
    present(auth.password);
  if (auth.mode === "token") return token;
  if (auth.mode === "password") return password;
  return token || password;
}
