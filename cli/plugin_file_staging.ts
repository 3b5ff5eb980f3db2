/**
 * `cara plugins install|update --file`: stages a local component as
 * `<state dir>/plugins/<name>.wasm` before the RPC (cli.md §4). A lock file
 * `<name>.wasm.cli-lock` holds our pid; an existing artifact is moved to
 * `<name>.wasm.cli-backup`. Leftover lock or backup files fail closed (a
 * stale lock older than 60 s whose pid is gone is reaped); a symlinked
 * destination is refused. After a failed RPC the previous artifact is put
 * back; after success the backup and lock are removed.
 *
 * @module
 */
import { join } from "node:path";
import { ensurePrivateDir } from "../gateway/credentials/private_file.ts";
import { CliError } from "./errors.ts";

/** The largest artifact (plugins.md §3). */
const MAX_BYTES = 50 * 1024 * 1024;
const STALE_LOCK_MS = 60_000;
/** `\0asm` + component layer `0d 00 01 00`. */
const COMPONENT_HEADER = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];

/** A staged artifact: settle it after the RPC. */
export interface StagedFile {
  /** Restores the previous artifact (or removes ours) and the lock. */
  rollback(): Promise<void>;
  /** Removes backup and lock; throws when that fails. */
  commit(): Promise<void>;
}

async function exists(path: string): Promise<Deno.FileInfo | null> {
  return await Deno.lstat(path).catch(() => null);
}

function pidAlive(pid: number): boolean {
  try {
    Deno.kill(pid, "SIGCONT");
    return true;
  } catch (error) {
    return !(error instanceof Deno.errors.NotFound);
  }
}

async function reapStaleLock(lock: string, name: string): Promise<void> {
  const info = await exists(lock);
  if (info === null) return;
  const pid = Number((await Deno.readTextFile(lock).catch(() => "")).trim());
  const age = Date.now() - (info.mtime?.getTime() ?? Date.now());
  if (
    age > STALE_LOCK_MS && Number.isInteger(pid) && pid > 0 && !pidAlive(pid)
  ) {
    await Deno.remove(lock);
    return;
  }
  throw new CliError(
    `Cannot stage plugin "${name}": "${lock}" exists (another install may be running, pid ${
      pid || "unknown"
    }); if none is, remove it and retry`,
  );
}

async function readComponent(name: string, file: string): Promise<Uint8Array> {
  const info = await Deno.stat(file).catch(() => null);
  if (info === null || !info.isFile) {
    throw new CliError(
      `Cannot stage plugin "${name}": "${file}" is not a file`,
    );
  }
  if (info.size > MAX_BYTES) {
    throw new CliError(
      `Cannot stage plugin "${name}": "${file}" is ${info.size} bytes; the limit is ${MAX_BYTES}`,
    );
  }
  const bytes = await Deno.readFile(file);
  if (!COMPONENT_HEADER.every((b, i) => bytes[i] === b)) {
    throw new CliError(
      `Cannot stage plugin "${name}": "${file}" is not a WebAssembly component; build it with "cargo component build" or "jco componentize"`,
    );
  }
  return bytes;
}

/**
 * Stages `file` as managed plugin `name` under `stateDir`.
 *
 * @throws {CliError} not a component, leftovers, symlinked destination
 * @example
 * ```ts
 * const staged = await stagePluginFile(stateDir, "weather", "./weather.wasm");
 * try { await rpc(); } catch (e) { await staged.rollback(); throw e; }
 * await staged.commit();
 * ```
 */
export async function stagePluginFile(
  stateDir: string,
  name: string,
  file: string,
): Promise<StagedFile> {
  const bytes = await readComponent(name, file);
  const dir = join(stateDir, "plugins");
  await ensurePrivateDir(dir);
  const target = join(dir, `${name}.wasm`);
  const lock = `${target}.cli-lock`;
  const backup = `${target}.cli-backup`;
  await reapStaleLock(lock, name);
  if (await exists(backup)) {
    throw new CliError(
      `Cannot stage plugin "${name}": "${backup}" is left from an interrupted install; restore it as "${target}" or remove it, then retry`,
    );
  }
  const current = await exists(target);
  if (current?.isSymlink || (current && !current.isFile)) {
    throw new CliError(
      `Cannot stage plugin "${name}": "${target}" is not a regular file; remove it and retry`,
    );
  }
  try {
    await Deno.writeTextFile(lock, `${Deno.pid}\n`, {
      createNew: true,
      mode: 0o600,
    });
  } catch {
    throw new CliError(
      `Cannot stage plugin "${name}": another install holds "${lock}"; retry when it finishes`,
    );
  }
  const hadPrevious = current !== null;
  try {
    if (hadPrevious) await Deno.rename(target, backup);
    const temp = `${target}.${crypto.randomUUID()}.tmp`;
    await Deno.writeFile(temp, bytes, { createNew: true, mode: 0o600 });
    await Deno.rename(temp, target).catch(async (error) => {
      await Deno.remove(temp).catch(() => {});
      throw error;
    });
  } catch (error) {
    if (hadPrevious) await Deno.rename(backup, target).catch(() => {});
    await Deno.remove(lock).catch(() => {});
    throw error;
  }
  return {
    async rollback() {
      if (hadPrevious) await Deno.rename(backup, target);
      else await Deno.remove(target).catch(() => {});
      await Deno.remove(lock);
    },
    async commit() {
      try {
        if (hadPrevious) await Deno.remove(backup);
        await Deno.remove(lock);
      } catch (error) {
        throw new CliError(
          `Plugin "${name}" was installed, but cleaning up "${backup}" or "${lock}" failed (${
            error instanceof Error ? error.message : String(error)
          }); remove them by hand before the next install`,
        );
      }
    },
  };
}
