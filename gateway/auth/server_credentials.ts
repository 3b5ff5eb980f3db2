/**
 * The gateway's own credentials: which auth mode is in force and the token or
 * password a client must present (protocol.md §5).
 *
 * @module
 */
import type { CaraConfig } from "../config/mod.ts";
import type { Env } from "../config/paths.ts";

/** Effective auth modes (`local` counts as `none`). */
export type AuthMode = "none" | "token" | "password";

/** Credential-store accounts the gateway reads. */
export type CredentialAccount =
  | "gateway:token:default"
  | "gateway:password:default";

/** Reads one credential-store entry; `null` when absent. */
export type CredentialLookup = (
  account: CredentialAccount,
) => Promise<string | null>;

/** The resolved mode and credentials; blank values are `null`. */
export interface ServerCredentials {
  mode: AuthMode;
  token: string | null;
  password: string | null;
}

/** Options of {@linkcode resolveServerCredentials}. */
export interface ResolveCredentialsOptions {
  config: CaraConfig;
  env: Env;
  /** The credential store (WS only; HTTP service auth passes none). */
  lookup?: CredentialLookup;
}

function present(value: string | null | undefined): string | null {
  return typeof value === "string" && value.trim() !== "" ? value : null;
}

async function fromStore(
  lookup: CredentialLookup | undefined,
  account: CredentialAccount,
): Promise<string | null> {
  return lookup === undefined ? null : present(await lookup(account));
}

/**
 * Resolves credentials env → config → credential store, then the mode:
 * `none`/`local` → none, `token`, `password`, unset → password when one is
 * resolvable, else token.
 *
 * @example
 * ```ts
 * const creds = await resolveServerCredentials({ config, env, lookup });
 * if (creds.mode === "token" && creds.token === null) { … }
 * ```
 */
export async function resolveServerCredentials(
  options: ResolveCredentialsOptions,
): Promise<ServerCredentials> {
  const { config, env, lookup } = options;
  const auth = config.gateway.auth;
  const token = present(env.CARAPACE_GATEWAY_TOKEN) ?? present(auth.token) ??
    await fromStore(lookup, "gateway:token:default");
  const password = present(env.CARAPACE_GATEWAY_PASSWORD) ??
    present(auth.password) ??
    await fromStore(lookup, "gateway:password:default");
  return { mode: modeOf(auth.mode, password), token, password };
}

function modeOf(
  configured: CaraConfig["gateway"]["auth"]["mode"],
  password: string | null,
): AuthMode {
  if (configured === "none" || configured === "local") return "none";
  if (configured === "token" || configured === "password") return configured;
  return password === null ? "token" : "password";
}
