/**
 * macOS Keychain generic passwords (service "carapace", account = key)
 * through `/usr/bin/security`. Writes go through `security -i` on stdin with
 * the value hex-encoded, so the secret never appears in a process list.
 *
 * @module
 */
import { type CommandRunner, runCommand } from "./command_runner.ts";
import {
  assertCredentialKey,
  assertCredentialValue,
  CREDENTIAL_SERVICE,
  type CredentialStore,
  CredentialStoreError,
} from "./store.ts";

const SECURITY = "/usr/bin/security";
// `security` exits 44 (errSecItemNotFound) for a missing item.
const NOT_FOUND = 44;

/** The `security -i` command line that adds or updates `key` (value as hex). */
export function keychainAddLine(key: string, value: string): string {
  const hex = Array.from(
    new TextEncoder().encode(value),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
  return `add-generic-password -U -s ${CREDENTIAL_SERVICE} -a ${key} -X ${hex}\n`;
}

/** A store in the login keychain. */
export class MacosKeychainStore implements CredentialStore {
  readonly backend = "macos-keychain" as const;
  readonly #run: CommandRunner;

  constructor(options: { runner?: CommandRunner } = {}) {
    this.#run = options.runner ?? runCommand;
  }

  async get(key: string): Promise<string | null> {
    assertCredentialKey(key);
    const out = await this.#exec("read", [
      "find-generic-password",
      "-s",
      CREDENTIAL_SERVICE,
      "-a",
      key,
      "-w",
    ]);
    if (out.code === NOT_FOUND) return null;
    if (out.code !== 0) throw failure("read", key, out.stderr);
    const value = out.stdout.replace(/\n$/, "");
    return value === "" ? null : value;
  }

  async set(key: string, value: string): Promise<void> {
    assertCredentialKey(key);
    assertCredentialValue(key, value);
    const out = await this.#exec("store", ["-i"], keychainAddLine(key, value));
    if (out.code !== 0 || /error/i.test(out.stderr)) {
      throw failure("store", key, out.stderr);
    }
  }

  async delete(key: string): Promise<boolean> {
    assertCredentialKey(key);
    const out = await this.#exec("delete", [
      "delete-generic-password",
      "-s",
      CREDENTIAL_SERVICE,
      "-a",
      key,
    ]);
    if (out.code === NOT_FOUND) return false;
    if (out.code !== 0) throw failure("delete", key, out.stderr);
    return true;
  }

  async #exec(action: string, args: string[], stdin?: string) {
    try {
      return await this.#run(
        SECURITY,
        args,
        stdin === undefined ? {} : { stdin },
      );
    } catch (error) {
      throw new CredentialStoreError(
        error instanceof Deno.errors.NotFound ? "unavailable" : "failed",
        `Cannot ${action} credentials in the macOS Keychain: ${
          error instanceof Error ? error.message : String(error)
        }`,
        { cause: error },
      );
    }
  }
}

function failure(
  action: string,
  key: string,
  stderr: string,
): CredentialStoreError {
  const detail = stderr.trim().split("\n")[0]?.slice(0, 200) ?? "";
  const kind = /interaction is not allowed|locked/i.test(detail)
    ? "locked"
    : /denied|not permitted/i.test(detail)
    ? "access_denied"
    : "failed";
  return new CredentialStoreError(
    kind,
    `Cannot ${action} credential "${key}" in the macOS Keychain: ${
      detail || "security failed"
    }`,
  );
}
