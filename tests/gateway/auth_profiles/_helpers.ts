/**
 * Helpers for the auth-profile tests: one keyring shared by every test (the
 * Argon2id derivation costs seconds) and store files seeded with a fixed
 * salt, so that keyring derives its key once.
 *
 * @module
 */
import { join } from "node:path";
import { SecretKeyring } from "../../../gateway/config/secrets/keyring.ts";
import {
  AUTH_PROFILES_FILE,
  AuthProfileStore,
} from "../../../gateway/auth_profiles/store.ts";

/** The config password of the tests. */
export const TEST_PASSWORD = "correct horse battery staple";
/** The keyring of {@linkcode TEST_PASSWORD}, shared across tests. */
export const TEST_KEYRING = new SecretKeyring(TEST_PASSWORD);
const FIXED_SALT = new Uint8Array(16).fill(7).toBase64();

/** A store in `stateDir` whose file starts empty with the shared salt. */
export async function seededStore(
  stateDir: string,
  keyring: SecretKeyring | null = TEST_KEYRING,
): Promise<AuthProfileStore> {
  const path = join(stateDir, AUTH_PROFILES_FILE);
  await Deno.writeTextFile(
    path,
    JSON.stringify({ version: 1, salt: FIXED_SALT, profiles: {} }),
    { mode: 0o600 },
  );
  return new AuthProfileStore(path, keyring);
}
