/**
 * The encrypted-file credential store, for machines without an OS keystore:
 * `<state dir>/credentials/store.enc.json` holding one `enc:v2` envelope
 * (AES-256-GCM, Argon2id key from `CARAPACE_CONFIG_PASSWORD`) per key.
 *
 * @module
 */
import { join } from "node:path";
import type { SecretKeyring } from "../config/secrets/keyring.ts";
import { openValue, sealValue } from "../config/secrets/envelope.ts";
import { readPrivateFile, writePrivateFile } from "./private_file.ts";
import {
  assertCredentialKey,
  assertCredentialValue,
  type CredentialStore,
  CredentialStoreError,
  MAX_CREDENTIAL_VALUE,
} from "./store.ts";
import { withFileLock } from "./file_lock.ts";

/** The store file inside the state dir. */
export const ENCRYPTED_STORE_FILE = join("credentials", "store.enc.json");
const MAX_ENTRIES = 1000;
// Sealed values are ~4/3 of 64 KiB plus headers; the whole file stays well below this.
const MAX_FILE_BYTES = MAX_ENTRIES * (MAX_CREDENTIAL_VALUE * 2);

interface StoreFile {
  version: 1;
  /** One salt per file, so the slow key derivation runs once. */
  salt: string;
  entries: Record<string, string>;
}

/**
 * A store sealed with the config password.
 *
 * @example
 * ```ts
 * const store = new EncryptedFileStore(join(stateDir, ENCRYPTED_STORE_FILE), keyring);
 * ```
 */
export class EncryptedFileStore implements CredentialStore {
  readonly backend = "encrypted-file" as const;
  readonly #path: string;
  readonly #keyring: SecretKeyring;

  constructor(path: string, keyring: SecretKeyring) {
    this.#path = path;
    this.#keyring = keyring;
  }

  async get(key: string): Promise<string | null> {
    assertCredentialKey(key);
    const file = await this.#read();
    const sealed = file?.entries[key];
    if (file === null || sealed === undefined) return null;
    return await this.#open(key, sealed);
  }

  async set(key: string, value: string): Promise<void> {
    assertCredentialKey(key);
    assertCredentialValue(key, value);
    await withFileLock(`${this.#path}.lock`, async () => {
      const file = await this.#read() ?? {
        version: 1,
        salt: crypto.getRandomValues(new Uint8Array(16)).toBase64(),
        entries: {},
      };
      if (
        !(key in file.entries) &&
        Object.keys(file.entries).length >= MAX_ENTRIES
      ) {
        throw new CredentialStoreError(
          "invalid_input",
          `Cannot store credential "${key}": the encrypted store already holds ${MAX_ENTRIES} entries; delete unused ones first`,
        );
      }
      const salt = Uint8Array.fromBase64(file.salt);
      file.entries[key] = await sealValue(value, this.#keyring, salt);
      await writePrivateFile(this.#path, `${JSON.stringify(file, null, 2)}\n`);
    });
  }

  async delete(key: string): Promise<boolean> {
    assertCredentialKey(key);
    return await withFileLock(`${this.#path}.lock`, async () => {
      const file = await this.#read();
      if (file === null || !(key in file.entries)) return false;
      delete file.entries[key];
      await writePrivateFile(this.#path, `${JSON.stringify(file, null, 2)}\n`);
      return true;
    });
  }

  async #open(key: string, sealed: string): Promise<string> {
    try {
      return await openValue(sealed, this.#keyring);
    } catch (error) {
      throw new CredentialStoreError(
        "access_denied",
        `Cannot read credential "${key}" from "${this.#path}": ${
          error instanceof Error ? error.message : String(error)
        }; set CARAPACE_CONFIG_PASSWORD to the password the store was written with`,
        { cause: error },
      );
    }
  }

  async #read(): Promise<StoreFile | null> {
    const text = await readPrivateFile(this.#path, {
      maxBytes: MAX_FILE_BYTES,
      what: "credential store",
    });
    if (text === null) return null;
    const file = parseStoreFile(text);
    if (file === null) {
      throw new CredentialStoreError(
        "failed",
        `Cannot read credential store "${this.#path}": it is not a cara encrypted store; move it away to start a new one`,
      );
    }
    return file;
  }
}

function parseStoreFile(text: string): StoreFile | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const { version, salt, entries } = value as Record<string, unknown>;
  if (version !== 1 || typeof salt !== "string") return null;
  if (
    typeof entries !== "object" || entries === null || Array.isArray(entries)
  ) {
    return null;
  }
  const clean: Record<string, string> = Object.create(null);
  for (const [key, sealed] of Object.entries(entries)) {
    if (typeof sealed !== "string") return null;
    clean[key] = sealed;
  }
  return { version: 1, salt, entries: clean };
}
