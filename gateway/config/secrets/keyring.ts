/**
 * The config password and the AES keys derived from it (Argon2id), cached
 * per salt for the lifetime of one keyring.
 *
 * @module
 */
import type { Env } from "../paths.ts";

/** The process variable that holds the config master password. */
export const CONFIG_PASSWORD_ENV = "CARAPACE_CONFIG_PASSWORD";
/** Argon2id parameters of `enc:v2` (64 MiB, 3 passes, 1 lane, 32-byte key). */
export const ARGON2_PARAMS = { m: 65536, t: 3, p: 1, dkLen: 32 } as const;
/** The smallest salt an envelope may carry. */
export const MIN_SALT_BYTES = 16;

/**
 * Derives and caches `enc:v2` keys for one password. Derivation costs
 * 64 MiB and up to a second, so create one keyring and pass it around.
 *
 * @example
 * ```ts
 * const keyring = keyringFromEnv(ctx.env); // null when no password is set
 * ```
 */
export class SecretKeyring {
  readonly #password: Uint8Array;
  readonly #keys = new Map<string, Promise<CryptoKey>>();

  constructor(password: string) {
    if (password === "") {
      throw new RangeError(
        "Cannot create a secret keyring: the password is empty",
      );
    }
    this.#password = new TextEncoder().encode(password);
  }

  /** The AES-256-GCM key for `salt` (derived once per salt). */
  keyFor(salt: Uint8Array): Promise<CryptoKey> {
    if (salt.length < MIN_SALT_BYTES) {
      return Promise.reject(
        new RangeError(
          `salt is ${salt.length} bytes, expected at least ${MIN_SALT_BYTES}`,
        ),
      );
    }
    const id = salt.toBase64();
    let key = this.#keys.get(id);
    if (key === undefined) {
      key = this.#derive(salt.slice());
      this.#keys.set(id, key);
      key.catch(() => this.#keys.delete(id));
    }
    return key;
  }

  /** How many keys were derived (lets tests keep the slow KDF in check). */
  get derivedCount(): number {
    return this.#keys.size;
  }

  async #derive(salt: Uint8Array): Promise<CryptoKey> {
    // Loaded on first use: most configs hold no sealed secret.
    const { argon2idAsync } = await import("@noble/hashes/argon2.js");
    const derived = await argon2idAsync(this.#password, salt, {
      ...ARGON2_PARAMS,
    });
    const raw = new Uint8Array(derived);
    derived.fill(0);
    try {
      return await crypto.subtle.importKey("raw", raw, "AES-GCM", false, [
        "encrypt",
        "decrypt",
      ]);
    } finally {
      raw.fill(0);
    }
  }
}

/** A keyring for `CARAPACE_CONFIG_PASSWORD` in `env`, or `null` when unset or empty. */
export function keyringFromEnv(env: Env): SecretKeyring | null {
  const password = env[CONFIG_PASSWORD_ENV];
  return password === undefined || password === ""
    ? null
    : new SecretKeyring(password);
}
