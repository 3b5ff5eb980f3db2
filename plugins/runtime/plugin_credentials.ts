/**
 * The plugin view of the gateway's credential store. Plugin keys
 * (`<plugin-id>:<key>`, up to 97 characters of any printable text) do not
 * fit the store's key rules (64 characters of `A-Z a-z 0-9 : . _ @ -`), so
 * each is filed under `plugin:<sha256 prefix>`; the store itself cannot list
 * keys, so the scoped names live in an index file beside the managed
 * plugins (`<state dir>/plugins/.credential-index.json`, 0600). The index
 * holds key names only, never values.
 *
 * @module
 */
import { join } from "node:path";
import { sha256Hex } from "../../gateway/auth/secret_compare.ts";
import {
  readPrivateFile,
  writePrivateFile,
} from "../../gateway/credentials/private_file.ts";
import type { CredentialStore as GatewayCredentialStore } from "../../gateway/credentials/store.ts";
import type { CredentialStore } from "../host/types.ts";

/** The index file name inside `<state dir>/plugins/`. */
export const CREDENTIAL_INDEX_FILE = ".credential-index.json";

/** The gateway store key of a scoped plugin key. */
export function pluginStoreKey(scoped: string): string {
  return `plugin:${sha256Hex(scoped).slice(0, 48)}`;
}

/**
 * Wraps the gateway store for plugins/host (adds `list(prefix)`).
 *
 * @example
 * ```ts
 * const credentials = pluginCredentialStore(await openCredentialStore(env), stateDir);
 * await credentials.set("weather:token", "s3cret");
 * await credentials.list("weather:"); // ["weather:token"]
 * ```
 */
export function pluginCredentialStore(
  store: GatewayCredentialStore,
  stateDir: string,
): CredentialStore {
  const path = join(stateDir, "plugins", CREDENTIAL_INDEX_FILE);
  // Index writes are serialised so two concurrent sets never lose a key.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => {});
    return next;
  };
  const readIndex = async (): Promise<string[]> => {
    const text = await readPrivateFile(path, {
      maxBytes: 1024 * 1024,
      what: "plugin credential index",
    });
    if (text === null) return [];
    try {
      const data: unknown = JSON.parse(text);
      return Array.isArray(data)
        ? data.filter((k): k is string => typeof k === "string")
        : [];
    } catch {
      return [];
    }
  };
  const writeIndex = (keys: string[]) =>
    writePrivateFile(path, `${JSON.stringify([...new Set(keys)].sort())}\n`);
  return {
    async get(key) {
      return (await store.get(pluginStoreKey(key))) ?? undefined;
    },
    set(key, value) {
      return serial(async () => {
        await store.set(pluginStoreKey(key), value);
        const keys = await readIndex();
        if (!keys.includes(key)) await writeIndex([...keys, key]);
      });
    },
    delete(key) {
      return serial(async () => {
        await store.delete(pluginStoreKey(key));
        const keys = await readIndex();
        if (keys.includes(key)) await writeIndex(keys.filter((k) => k !== key));
      });
    },
    list(prefix) {
      return serial(async () =>
        (await readIndex()).filter((k) => k.startsWith(prefix))
      );
    },
  };
}
