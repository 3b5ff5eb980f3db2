/**
 * The gateway's credential store, opened on first use: probing the OS
 * keystore can spawn helper programs, which start-up should not wait for when
 * env and config already hold the gateway credentials and no plugin asks.
 *
 * @module
 */
import type { CredentialLookup } from "../auth/server_credentials.ts";
import type { Env } from "../config/paths.ts";
import type {
  CredentialBackend,
  CredentialStore,
} from "../credentials/store.ts";

/** A {@linkcode CredentialStore} that opens the real one on first use. */
export class DeferredCredentialStore implements CredentialStore {
  #env: Env;
  #store: Promise<CredentialStore> | undefined;
  #backend: CredentialBackend = "deferred";

  constructor(env: Env) {
    this.#env = env;
  }

  /** `"deferred"` until the first call opened the real store. */
  get backend(): CredentialBackend {
    return this.#backend;
  }

  async get(key: string): Promise<string | null> {
    return await (await this.#open()).get(key);
  }

  async set(key: string, value: string): Promise<void> {
    await (await this.#open()).set(key, value);
  }

  async delete(key: string): Promise<boolean> {
    return await (await this.#open()).delete(key);
  }

  /** The last link of the gateway credential chain (env → config → store). */
  lookup: CredentialLookup = (account) => this.get(account);

  #open(): Promise<CredentialStore> {
    this.#store ??= import("../credentials/open_store.ts").then(
      async ({ openCredentialStore }) => {
        const store = await openCredentialStore(this.#env);
        this.#backend = store.backend;
        return store;
      },
    );
    return this.#store;
  }
}
