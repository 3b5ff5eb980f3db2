/**
 * The credential store contract (ops-and-security §5): one interface over the
 * OS keystores and the encrypted-file fallback. Keys look like
 * `gateway:token:default` or `device:cli:identity`; values are strings.
 *
 * @module
 */
import { CaraError } from "../errors.ts";

/** The service name every OS keystore entry is filed under. */
export const CREDENTIAL_SERVICE = "carapace";
/** The longest key: 64 characters. */
export const MAX_CREDENTIAL_KEY = 64;
/** The largest value: 64 KiB (UTF-8). */
export const MAX_CREDENTIAL_VALUE = 64 * 1024;

/** Which backend a store uses. */
export type CredentialBackend =
  | "macos-keychain"
  | "secret-service"
  | "windows-credential-manager"
  | "encrypted-file"
  | "none"
  /** Not opened yet (see gateway/start/deferred_credentials.ts). */
  | "deferred";

/** A place to keep secrets. */
export interface CredentialStore {
  readonly backend: CredentialBackend;
  /** The value of `key`, or `null` when unset (or the store is unavailable). */
  get(key: string): Promise<string | null>;
  /** Stores `value` under `key`, replacing any value. */
  set(key: string, value: string): Promise<void>;
  /** Removes `key`; `false` when it was not set. */
  delete(key: string): Promise<boolean>;
}

/** Why a store operation failed; `unavailable`, `locked` and `access_denied` allow a fallback. */
export type CredentialFailure =
  | "unavailable"
  | "locked"
  | "access_denied"
  | "invalid_input"
  | "failed";

/**
 * A failed store operation.
 *
 * @example
 * ```ts
 * if (error instanceof CredentialStoreError && error.allowsFallback) useFile();
 * ```
 */
export class CredentialStoreError extends CaraError {
  readonly failure: CredentialFailure;
  constructor(
    failure: CredentialFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`credential_store_${failure}`, message, options);
    this.name = "CredentialStoreError";
    this.failure = failure;
  }

  /** Whether the store is merely unusable here (a sanctioned fallback may be used). */
  get allowsFallback(): boolean {
    return this.failure === "unavailable" || this.failure === "locked" ||
      this.failure === "access_denied";
  }
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9:._@-]*$/;

/**
 * Checks a key: 1–64 characters of letters, digits and `: . _ @ -`.
 *
 * @throws {CredentialStoreError} `invalid_input`
 */
export function assertCredentialKey(key: string): void {
  if (key.length > MAX_CREDENTIAL_KEY || !KEY.test(key)) {
    throw new CredentialStoreError(
      "invalid_input",
      `Cannot use credential key "${
        key.slice(0, MAX_CREDENTIAL_KEY)
      }": expected 1-${MAX_CREDENTIAL_KEY} letters, digits or ": . _ @ -"`,
    );
  }
}

/**
 * Checks a value: non-empty, at most 64 KiB.
 *
 * @throws {CredentialStoreError} `invalid_input`
 */
export function assertCredentialValue(key: string, value: string): void {
  const size = new TextEncoder().encode(value).length;
  if (size === 0 || size > MAX_CREDENTIAL_VALUE) {
    throw new CredentialStoreError(
      "invalid_input",
      `Cannot store credential "${key}": the value is ${size} bytes, expected 1 to ${MAX_CREDENTIAL_VALUE}`,
    );
  }
}
