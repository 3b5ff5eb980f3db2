/**
 * Linux Secret Service (GNOME Keyring, KWallet) through `secret-tool` from
 * libsecret-tools. Entries carry the attributes `service carapace account <key>`.
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

/** The argv of each `secret-tool` operation (secrets travel on stdin). */
export function secretToolArgs(
  operation: "lookup" | "store" | "clear",
  key: string,
): string[] {
  const attributes = ["service", CREDENTIAL_SERVICE, "account", key];
  if (operation === "store") {
    return ["store", `--label=${CREDENTIAL_SERVICE}: ${key}`, ...attributes];
  }
  return [operation, ...attributes];
}

/**
 * A store backed by `secret-tool`.
 *
 * @example
 * ```ts
 * const store = new SecretServiceStore();
 * await store.set("gateway:token:default", token);
 * ```
 */
export class SecretServiceStore implements CredentialStore {
  readonly backend = "secret-service" as const;
  readonly #run: CommandRunner;

  constructor(options: { runner?: CommandRunner } = {}) {
    this.#run = options.runner ?? runCommand;
  }

  /** Whether a Secret Service answers (a lookup of a key that is never set). */
  async available(): Promise<boolean> {
    try {
      await this.get("carapace:probe");
      return true;
    } catch {
      return false;
    }
  }

  async get(key: string): Promise<string | null> {
    assertCredentialKey(key);
    const out = await this.#exec("read", secretToolArgs("lookup", key));
    // Not found: exit 1 with nothing on stderr.
    if (out.code !== 0) return null;
    return out.stdout === "" ? null : out.stdout;
  }

  async set(key: string, value: string): Promise<void> {
    assertCredentialKey(key);
    assertCredentialValue(key, value);
    const out = await this.#exec("store", secretToolArgs("store", key), value);
    if (out.code !== 0) throw this.#failure("store", key, out.stderr);
    if (await this.get(key) !== value) {
      throw new CredentialStoreError(
        "failed",
        `Cannot store credential "${key}" in the Secret Service: reading it back gave a different value`,
      );
    }
  }

  async delete(key: string): Promise<boolean> {
    assertCredentialKey(key);
    const existed = await this.get(key) !== null;
    if (!existed) return false;
    const out = await this.#exec("delete", secretToolArgs("clear", key));
    if (out.code !== 0) throw this.#failure("delete", key, out.stderr);
    return true;
  }

  async #exec(action: string, args: string[], stdin?: string) {
    let out;
    try {
      out = await this.#run(
        "secret-tool",
        args,
        stdin === undefined ? {} : { stdin },
      );
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        throw new CredentialStoreError(
          "unavailable",
          `Cannot ${action} credentials in the Secret Service: "secret-tool" is not installed; install libsecret-tools`,
          { cause: error },
        );
      }
      throw new CredentialStoreError(
        "failed",
        `Cannot ${action} credentials in the Secret Service: ${
          error instanceof Error ? error.message : String(error)
        }`,
        { cause: error },
      );
    }
    if (out.code !== 0 && out.stderr.trim() !== "") {
      throw this.#failure(action, args[args.length - 1] ?? "", out.stderr);
    }
    return out;
  }

  #failure(action: string, key: string, stderr: string): CredentialStoreError {
    const detail = stderr.trim().split("\n")[0]?.slice(0, 200) ?? "";
    const failure = /locked|unlock|dismissed/i.test(detail)
      ? "locked"
      : /denied|not allowed|permission/i.test(detail)
      ? "access_denied"
      : /dbus|d-bus|org\.freedesktop\.secrets|autolaunch|no such/i.test(detail)
      ? "unavailable"
      : "failed";
    return new CredentialStoreError(
      failure,
      `Cannot ${action} credential "${key}" in the Secret Service: ${
        detail || "secret-tool failed"
      }`,
    );
  }
}
