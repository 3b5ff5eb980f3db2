/**
 * The auth-profile store `{state_dir}/auth_profiles.json` (ops-and-security.md
 * §5): OAuth and setup-token profiles, written atomically with mode 0600,
 * every token sealed (`enc:v2`) with `CARAPACE_CONFIG_PASSWORD`. Without the
 * password profiles can be listed and removed, never read or written.
 *
 * @module
 */
import { join } from "node:path";
import { type Env, resolveStateDir } from "../config/paths.ts";
import { sealValue } from "../config/secrets/envelope.ts";
import {
  CONFIG_PASSWORD_ENV,
  keyringFromEnv,
  type SecretKeyring,
} from "../config/secrets/keyring.ts";
import { withFileLock } from "../credentials/file_lock.ts";
import {
  readPrivateFile,
  writePrivateFile,
} from "../credentials/private_file.ts";
import {
  emptyStoreFile,
  MAX_PROFILES,
  MAX_STORE_BYTES,
  parseStoreFile,
  type StoreFile,
} from "./store_file.ts";
import { openSecrets, sealableSecrets } from "./secrets.ts";
import {
  assertProfileId,
  type AuthProfile,
  AuthProfileError,
  type AuthProfileSummary,
} from "./types.ts";

/** The store file name inside the state dir. */
export const AUTH_PROFILES_FILE = "auth_profiles.json";
// A refresh runs inside the lock: leave room for the token endpoint's timeout.
const LOCK_TIMEOUT_MS = 20_000;

/**
 * Reads and writes auth profiles.
 *
 * @example
 * ```ts
 * const store = openAuthProfileStore(ctx.env);
 * const profile = await store.get("codex:default");
 * ```
 */
export class AuthProfileStore {
  readonly #path: string;
  readonly #keyring: SecretKeyring | null;

  constructor(path: string, keyring: SecretKeyring | null) {
    this.#path = path;
    this.#keyring = keyring;
  }

  /** The file this store reads and writes. */
  get path(): string {
    return this.#path;
  }

  /**
   * Throws unless the store can read and write tokens (the password is set).
   *
   * @throws {AuthProfileError} `auth_profile_locked`
   */
  assertUnlocked(action: string): void {
    this.#unlock(action);
  }

  /** Every profile without its tokens (needs no password). */
  async list(): Promise<AuthProfileSummary[]> {
    const file = await this.#read();
    return Object.entries(file.profiles).map(([id, p]) => {
      const { sealed: _, ...summary } = p;
      return { id, ...summary };
    });
  }

  /**
   * The profile `id` with its tokens, or `null` when there is none.
   *
   * @throws {AuthProfileError} `auth_profile_locked` without the password, `auth_profile_unreadable` on a wrong one
   */
  async get(id: string): Promise<AuthProfile | null> {
    assertProfileId(id);
    const keyring = this.#unlock(`read auth profile "${id}"`);
    const stored = (await this.#read()).profiles[id];
    if (stored === undefined) return null;
    const { sealed, ...summary } = stored;
    return { id, ...summary, ...await openSecrets(sealed, keyring, id) };
  }

  /**
   * Adds or replaces a profile (its tokens sealed).
   *
   * @throws {AuthProfileError} `auth_profile_locked` without the password
   */
  async save(profile: AuthProfile): Promise<void> {
    assertProfileId(profile.id);
    const keyring = this.#unlock(`save auth profile "${profile.id}"`);
    await this.#locked(async () => {
      await this.#write(await this.#withProfile(profile, keyring));
    });
  }

  /** Removes a profile; `false` when there was none (needs no password). */
  async remove(id: string): Promise<boolean> {
    assertProfileId(id);
    return await this.#locked(async () => {
      const file = await this.#read();
      if (file.profiles[id] === undefined) return false;
      delete file.profiles[id];
      await this.#write(file);
      return true;
    });
  }

  /**
   * Replaces profile `id` with what `change` returns, under the store lock,
   * so two processes rotating the same refresh token do not race.
   *
   * @throws {AuthProfileError} `auth_profile_missing` when there is no such profile
   */
  async update(
    id: string,
    change: (current: AuthProfile) => Promise<AuthProfile>,
  ): Promise<AuthProfile> {
    assertProfileId(id);
    const keyring = this.#unlock(`update auth profile "${id}"`);
    return await this.#locked(async () => {
      const current = await this.get(id);
      if (current === null) throw missingProfile(id, this.#path);
      const next = await change(current);
      if (next !== current) {
        await this.#write(await this.#withProfile({ ...next, id }, keyring));
      }
      return next;
    });
  }

  #unlock(action: string): SecretKeyring {
    if (this.#keyring !== null) return this.#keyring;
    throw new AuthProfileError(
      "auth_profile_locked",
      `Cannot ${action}: ${CONFIG_PASSWORD_ENV} is not set and auth-profile tokens are only stored encrypted; set ${CONFIG_PASSWORD_ENV} and retry`,
    );
  }

  async #withProfile(
    profile: AuthProfile,
    keyring: SecretKeyring,
  ): Promise<StoreFile> {
    const file = await this.#read();
    const others = Object.keys(file.profiles).filter((k) => k !== profile.id);
    if (others.length >= MAX_PROFILES) {
      throw new AuthProfileError(
        "auth_profile_limit",
        `Cannot save auth profile "${profile.id}": the store already holds ${MAX_PROFILES} profiles; remove one first`,
      );
    }
    const salt = Uint8Array.fromBase64(file.salt);
    const { id, accessToken, refreshToken, tokenUrl, clientId, ...rest } =
      profile;
    const secrets = sealableSecrets({
      accessToken,
      refreshToken,
      tokenUrl,
      clientId,
    }, id);
    file.profiles[id] = {
      ...rest,
      sealed: await sealValue(JSON.stringify(secrets), keyring, salt),
    };
    return file;
  }

  async #read(): Promise<StoreFile> {
    const text = await readPrivateFile(this.#path, {
      maxBytes: MAX_STORE_BYTES,
      what: "auth profiles",
    });
    if (text === null) return emptyStoreFile();
    const file = parseStoreFile(text);
    if (typeof file === "string") {
      throw new AuthProfileError(
        "auth_profile_store_corrupt",
        `Cannot read auth profiles "${this.#path}": ${file}; fix the file or move it away and sign in again`,
      );
    }
    return file;
  }

  async #write(file: StoreFile): Promise<void> {
    await writePrivateFile(this.#path, `${JSON.stringify(file, null, 2)}\n`);
  }

  #locked<T>(work: () => Promise<T>): Promise<T> {
    return withFileLock(`${this.#path}.lock`, work, {
      timeoutMs: LOCK_TIMEOUT_MS,
    });
  }
}

/** The error for a profile that is not in the store. */
export function missingProfile(id: string, path: string): AuthProfileError {
  const provider = id.slice(0, id.indexOf(":"));
  return new AuthProfileError(
    "auth_profile_missing",
    `Cannot use auth profile "${id}": it is not in "${path}"; sign in with "cara setup --provider ${provider}"`,
  );
}

/**
 * The store in `env`'s state dir, unlocked by `CARAPACE_CONFIG_PASSWORD` when set.
 *
 * @example
 * ```ts
 * const ids = (await openAuthProfileStore(ctx.env).list()).map((p) => p.id);
 * ```
 */
export function openAuthProfileStore(env: Env): AuthProfileStore {
  return new AuthProfileStore(
    join(resolveStateDir(env), AUTH_PROFILES_FILE),
    keyringFromEnv(env),
  );
}
