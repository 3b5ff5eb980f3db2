/**
 * The last link of the gateway credential chain (env → config → credential
 * store): opens the OS credential store only when env and config had nothing.
 *
 * @module
 */
import type { CredentialLookup } from "../auth/server_credentials.ts";
import type { Env } from "../config/paths.ts";
import { openCredentialStore } from "../credentials/open_store.ts";
import type { CredentialStore } from "../credentials/store.ts";

/** A lookup that opens the store on first use and reuses it. */
export function credentialLookup(env: Env): CredentialLookup {
  let store: Promise<CredentialStore> | undefined;
  return async (account) => {
    store ??= openCredentialStore(env);
    return await (await store).get(account);
  };
}
