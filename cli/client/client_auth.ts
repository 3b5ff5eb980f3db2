/**
 * The credentials the CLI presents to a gateway (cli.md §1): per field the
 * first non-blank of env, config, then the credential store.
 *
 * @module
 */
import type { Env } from "../../gateway/config/paths.ts";
import type { CredentialStore } from "../../gateway/credentials/store.ts";

/** What goes into `connect` `auth`. */
export interface ClientAuth {
  token?: string;
  password?: string;
}

/** Resolves token and password independently: env → config → credential store. */
export async function resolveClientAuth(
  env: Env,
  options: {
    config: {
      token?: string | null | undefined;
      password?: string | null | undefined;
    };
    store: CredentialStore;
  },
): Promise<ClientAuth> {
  const pick = async (
    fromEnv: string | undefined,
    fromConfig: string | null | undefined,
    key: string,
  ) =>
    nonBlank(fromEnv) ?? nonBlank(fromConfig) ??
      nonBlank(await options.store.get(key).catch(() => null));
  const token = await pick(
    env.CARAPACE_GATEWAY_TOKEN,
    options.config.token,
    "gateway:token:default",
  );
  const password = await pick(
    env.CARAPACE_GATEWAY_PASSWORD,
    options.config.password,
    "gateway:password:default",
  );
  const auth: ClientAuth = {};
  if (token !== undefined) auth.token = token;
  if (password !== undefined) auth.password = password;
  return auth;
}

function nonBlank(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
