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

/** How long {@linkcode DeferredCredentialStore.lookup} keeps an answer. */
export const LOOKUP_TTL_MS = 10_000;

/** A {@linkcode CredentialStore} that opens the real one on first use. */
export class DeferredCredentialStore implements CredentialStore {
  #env: Env;
  #store: Promise<CredentialStore> | undefined;
  #backend: CredentialBackend = "deferred";
  #clock: () => number;
  #lookups = new Map<string, { value: Promise<string | null>; at: number }>();

  constructor(env: Env, options: { clock?: () => number } = {}) {
    this.#env = env;
    this.#clock = options.clock ?? (() => performance.now());
  }

  /** `"deferred"` until the first call opened the real store. */
  get backend(): CredentialBackend {
    return this.#backend;
  }

  async get(key: string): Promise<string | null> {
    return await (await this.#open()).get(key);
  }

  async set(key: string, value: string): Promise<void> {
    this.#lookups.delete(key);
    await (await this.#open()).set(key, value);
  }

  async delete(key: string): Promise<boolean> {
    this.#lookups.delete(key);
    return await (await this.#open()).delete(key);
  }

  /**
   * The last link of the gateway credential chain (env → config → store),
   * asked on every WebSocket connect. Answers are kept for
   * {@linkcode LOOKUP_TTL_MS}: reading the store costs a file read or an OS
   * keystore process each time, and a connect must not wait for that. A
   * secret changed in the store applies to connects after that time.
   */
  lookup: CredentialLookup = (account) => {
    const now = this.#clock();
    const kept = this.#lookups.get(account);
    if (kept !== undefined && now - kept.at < LOOKUP_TTL_MS) return kept.value;
    const value = this.get(account);
    this.#lookups.set(account, { value, at: now });
    value.catch(() => this.#lookups.delete(account));
    return value;
  };

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
