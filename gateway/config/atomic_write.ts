/**
 * Crash-safe file replacement: a private temp file in the same directory,
 * flushed, then renamed over the target.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";

/** Options of {@linkcode writeFileAtomic} and {@linkcode writeFileAtomicSync}. */
export interface AtomicWriteOptions {
  /** File mode of the new file; default 0o600 (owner only). */
  mode?: number;
  /**
   * Flush the new file to disk before the rename (default `true`). Only a
   * file that means nothing after a crash (the daemon's pid file) skips it:
   * readers still see the old or the new file, never a partial one, but a
   * power loss may leave it empty.
   */
  durable?: boolean;
}

/**
 * Replaces `path` with `text` so readers see either the old or the new file.
 * The directory is created (0700) when missing.
 *
 * @example
 * ```ts
 * await writeFileAtomic("/srv/cara/carapace.json", "{}\n");
 * ```
 */
export async function writeFileAtomic(
  path: string,
  text: string,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const dir = dirname(path);
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.${basename(path)}.${crypto.randomUUID()}.tmp`);
  // createNew = O_EXCL: never follows or reuses an existing file at the temp path.
  const file = await Deno.open(temp, {
    write: true,
    createNew: true,
    mode: options.mode ?? 0o600,
  });
  try {
    try {
      const bytes = new TextEncoder().encode(text);
      let written = 0;
      while (written < bytes.length) {
        written += await file.write(bytes.subarray(written));
      }
      if (options.durable !== false) await file.sync();
    } finally {
      file.close();
    }
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}

/**
 * {@linkcode writeFileAtomic} with synchronous calls, for start-up steps
 * that run before anything else could use the event loop (the daemon's pid
 * file): each file operation then skips a round trip through the runtime's
 * I/O threads.
 *
 * @example
 * ```ts
 * writeFileAtomicSync("/srv/cara/daemon.pid", "42\n", { durable: false });
 * ```
 */
export function writeFileAtomicSync(
  path: string,
  text: string,
  options: AtomicWriteOptions = {},
): void {
  const dir = dirname(path);
  Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.${basename(path)}.${crypto.randomUUID()}.tmp`);
  // createNew = O_EXCL: never follows or reuses an existing file at the temp path.
  const file = Deno.openSync(temp, {
    write: true,
    createNew: true,
    mode: options.mode ?? 0o600,
  });
  try {
    try {
      const bytes = new TextEncoder().encode(text);
      let written = 0;
      while (written < bytes.length) {
        written += file.writeSync(bytes.subarray(written));
      }
      if (options.durable !== false) file.syncSync();
    } finally {
      file.close();
    }
    Deno.renameSync(temp, path);
  } catch (error) {
    try {
      Deno.removeSync(temp);
    } catch {
      // already gone
    }
    throw error;
  }
}
