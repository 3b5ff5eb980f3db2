/**
 * A cross-process lock file (`O_CREAT|O_EXCL`), so two cara processes do not
 * lose each other's writes to the same store file.
 *
 * @module
 */
import { dirname } from "node:path";
import { ensurePrivateDir } from "./private_file.ts";
import { CredentialStoreError } from "./store.ts";

/** Options of {@linkcode withFileLock}. */
export interface FileLockOptions {
  /** Give up after this long (default 5 s). */
  timeoutMs?: number;
  /** A lock older than this is taken over (its holder died; default 30 s). */
  staleMs?: number;
}

/**
 * Runs `work` while holding the lock file at `path`.
 *
 * @throws {CredentialStoreError} `locked` when the lock stays held past the timeout
 */
export async function withFileLock<T>(
  path: string,
  work: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 5_000);
  const staleMs = options.staleMs ?? 30_000;
  await ensurePrivateDir(dirname(path));
  for (let delay = 10;; delay = Math.min(delay * 2, 200)) {
    try {
      const file = await Deno.open(path, {
        write: true,
        createNew: true,
        mode: 0o600,
      });
      file.close();
      break;
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
      const info = await Deno.stat(path).catch(() => null);
      const age = Date.now() - (info?.mtime?.getTime() ?? Date.now());
      if (info !== null && age > staleMs) {
        await Deno.remove(path).catch(() => {});
        continue;
      }
      if (Date.now() >= deadline) {
        throw new CredentialStoreError(
          "locked",
          `Cannot lock "${path}": another cara process holds it; try again, or remove the file if no cara process is running`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
  try {
    return await work();
  } finally {
    await Deno.remove(path).catch(() => {});
  }
}
