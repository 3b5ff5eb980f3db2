/**
 * Picks the credential store of this machine: the OS keystore when one
 * answers, else the encrypted file when `CARAPACE_CONFIG_PASSWORD` is set,
 * else a store that holds nothing and says how to enable one.
 *
 * @module
 */
import { join } from "node:path";
import { type Env, resolveStateDir } from "../config/paths.ts";
import { keyringFromEnv } from "../config/secrets/keyring.ts";
import type { CommandRunner } from "./command_runner.ts";
import { ENCRYPTED_STORE_FILE, EncryptedFileStore } from "./encrypted_file.ts";
import { MacosKeychainStore } from "./macos_keychain.ts";
import { SecretServiceStore } from "./secret_service.ts";
import {
  assertCredentialKey,
  type CredentialStore,
  CredentialStoreError,
} from "./store.ts";
import { WindowsCredentialStore } from "./windows_credentials.ts";

/** Chooses the backend: `auto` (default), `os`, `file` or `none`. */
export const CREDENTIAL_STORE_ENV = "CARAPACE_CREDENTIAL_STORE";

/** Options of {@linkcode openCredentialStore}. */
export interface OpenCredentialStoreOptions {
  /** The platform (default `Deno.build.os`). */
  os?: typeof Deno.build.os;
  /** Runs the OS keystore helpers (default: real child processes). */
  runner?: CommandRunner;
}

/**
 * The credential store to use with `env`.
 *
 * @throws {CaraError} for an unknown `CARAPACE_CREDENTIAL_STORE` value
 * @example
 * ```ts
 * const store = await openCredentialStore(ctx.env);
 * const token = await store.get("gateway:token:default");
 * ```
 */
export async function openCredentialStore(
  env: Env,
  options: OpenCredentialStoreOptions = {},
): Promise<CredentialStore> {
  const choice = (env[CREDENTIAL_STORE_ENV] ?? "auto").trim().toLowerCase() ||
    "auto";
  if (!["auto", "os", "file", "none"].includes(choice)) {
    throw new CredentialStoreError(
      "invalid_input",
      `Cannot open the credential store: ${CREDENTIAL_STORE_ENV} is "${choice}", expected one of "auto", "os", "file", "none"`,
    );
  }
  const reasons: string[] = [];
  if (choice === "auto" || choice === "os") {
    const os = await osStore(options);
    if (os.store !== null) return os.store;
    reasons.push(os.reason);
  }
  if (choice === "auto" || choice === "file") {
    const keyring = keyringFromEnv(env);
    if (keyring !== null) {
      return new EncryptedFileStore(
        join(resolveStateDir(env), ENCRYPTED_STORE_FILE),
        keyring,
      );
    }
    reasons.push(
      "CARAPACE_CONFIG_PASSWORD is not set for the encrypted file store",
    );
  }
  if (choice === "none") reasons.push(`${CREDENTIAL_STORE_ENV} is "none"`);
  return new UnavailableStore(reasons.join("; "));
}

async function osStore(
  options: OpenCredentialStoreOptions,
): Promise<{ store: CredentialStore | null; reason: string }> {
  const os = options.os ?? Deno.build.os;
  const runner = options.runner === undefined ? {} : { runner: options.runner };
  if (os === "darwin") {
    const store = new MacosKeychainStore(runner);
    return await probe(store, "the macOS Keychain is not usable");
  }
  if (os === "windows") {
    const store = new WindowsCredentialStore(runner);
    return await probe(store, "the Windows Credential Manager is not usable");
  }
  const store = new SecretServiceStore(runner);
  return await probe(
    store,
    "no Secret Service answers (install libsecret-tools and run a keyring such as gnome-keyring in a D-Bus session)",
  );
}

async function probe(
  store: CredentialStore,
  reason: string,
): Promise<{ store: CredentialStore | null; reason: string }> {
  try {
    await store.get("carapace:probe");
    return { store, reason: "" };
  } catch {
    return { store: null, reason };
  }
}

/** The store of a machine without any usable backend: reads find nothing, writes fail. */
export class UnavailableStore implements CredentialStore {
  readonly backend = "none" as const;
  readonly #reason: string;

  constructor(reason: string) {
    this.#reason = reason;
  }

  get(key: string): Promise<string | null> {
    assertCredentialKey(key);
    return Promise.resolve(null);
  }

  set(key: string, _value: string): Promise<void> {
    return Promise.reject(this.#error("store", key));
  }

  delete(key: string): Promise<boolean> {
    return Promise.reject(this.#error("delete", key));
  }

  #error(action: string, key: string): CredentialStoreError {
    return new CredentialStoreError(
      "unavailable",
      `Cannot ${action} credential "${key}": no credential store is available (${this.#reason}); set CARAPACE_CONFIG_PASSWORD to use the encrypted file store`,
    );
  }
}
