/**
 * `createBackup()`: writes a tar.gz of the state database (a `VACUUM INTO`
 * snapshot, never the live file), the config file and the memory dir. The
 * archive is streamed into a temp file next to the output, then renamed.
 *
 * @module
 */
import { basename, dirname, join, resolve } from "node:path";
import {
  type Env,
  resolveConfigPath,
  resolveDatabasePath,
  resolveMemoryDir,
  resolveStateDir,
} from "../config/paths.ts";
import { assertNoDaemonRunning } from "../daemon/find.ts";
import { CaraError } from "../errors.ts";
import { snapshotDatabase } from "../state/snapshot.ts";
import {
  formatBackupTimestamp,
  MARKER_NAME,
  markerText,
  type Section,
  STATE_DB_ENTRY,
} from "./format.ts";
import { collectMemoryFiles, type MemoryEntry } from "./memory_files.ts";
import { openTarGzWriter, type TarGzWriter } from "./tar_gz_writer.ts";

/** Options of {@linkcode createBackup}. */
export interface CreateBackupOptions {
  /** Where to write; relative paths resolve against `cwd`. Default `carapace-backup-<timestamp>.tar.gz`. */
  output?: string;
  /** Replace an existing regular file at the output path. */
  force?: boolean;
  /** Directory for relative and default output paths. */
  cwd: string;
  /** Clock for the marker and the default name; defaults to `new Date()`. */
  now?: Date;
}

/** What {@linkcode createBackup} wrote. */
export interface BackupResult {
  path: string;
  size: number;
  sections: Section[];
  /** Memory entries left out because they are neither regular files nor directories. */
  skipped: string[];
}

/**
 * Writes a backup archive of the state in `env`.
 *
 * @throws {CaraError} `daemon_running`, `backup_output_exists`, `backup_output_unsafe`
 * @example
 * ```ts
 * const { path, size } = await createBackup(ctx.env, { cwd: ctx.cwd });
 * ```
 */
export async function createBackup(
  env: Env,
  options: CreateBackupOptions,
): Promise<BackupResult> {
  const stateDir = resolveStateDir(env);
  await assertNoDaemonRunning(stateDir, "create a backup");
  const now = options.now ?? new Date();
  const output = resolve(
    options.cwd,
    options.output ?? `carapace-backup-${formatBackupTimestamp(now)}.tar.gz`,
  );
  await checkOutput(output, options.force === true);
  const memory = await collectMemoryFiles(resolveMemoryDir(env));
  const temp = join(
    dirname(output),
    `.${basename(output)}.${crypto.randomUUID().slice(0, 8)}.tmp`,
  );
  const work = join(stateDir, `.backup-${crypto.randomUUID().slice(0, 8)}`);
  try {
    const file = await Deno.open(temp, {
      write: true,
      createNew: true,
      mode: 0o600,
    });
    const writer = openTarGzWriter(file);
    await writer.addBytes(
      MARKER_NAME,
      new TextEncoder().encode(markerText(now)),
      {
        mode: 0o644,
        mtime: now,
      },
    );
    const sections: Section[] = [];
    if (await addState(writer, { env, work, now })) sections.push("state");
    if (await addConfig(writer, resolveConfigPath(env), now)) {
      sections.push("config");
    }
    if (memory.entries.length > 0) {
      await addMemory(writer, memory.entries, now);
      sections.push("memory");
    }
    await writer.finish();
    await Deno.rename(temp, output);
    const { size } = await Deno.stat(output);
    return { path: output, size, sections, skipped: memory.skipped };
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  } finally {
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
}

async function checkOutput(output: string, force: boolean): Promise<void> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(output);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  if (info.isSymlink || !info.isFile) {
    throw new CaraError(
      "backup_output_unsafe",
      `Cannot write the backup to "${output}": it is ${
        info.isSymlink ? "a symbolic link" : "not a regular file"
      }; choose another path`,
    );
  }
  if (!force) {
    throw new CaraError(
      "backup_output_exists",
      `Cannot write the backup to "${output}": it already exists; pass --force to replace it`,
    );
  }
}

async function addState(
  writer: TarGzWriter,
  options: { env: Env; work: string; now: Date },
): Promise<boolean> {
  const dbPath = resolveDatabasePath(options.env);
  const info = await Deno.lstat(dbPath).catch(() => null);
  if (!info?.isFile) return false;
  await Deno.mkdir(options.work, { mode: 0o700 });
  const snapshot = join(options.work, "state.db");
  await snapshotDatabase(dbPath, snapshot);
  await writer.addDirectory("state/", options.now);
  await writer.addFile(STATE_DB_ENTRY, snapshot, {
    mode: 0o600,
    mtime: options.now,
  });
  return true;
}

async function addConfig(
  writer: TarGzWriter,
  path: string,
  now: Date,
): Promise<boolean> {
  // The config file may legitimately be a symlink (dotfile managers): follow it.
  const info = await Deno.stat(path).catch(() => null);
  if (!info?.isFile) return false;
  await writer.addDirectory("config/", now);
  await writer.addFile(`config/${basename(path)}`, path, {
    mode: 0o600,
    mtime: info.mtime ?? now,
  });
  return true;
}

async function addMemory(
  writer: TarGzWriter,
  entries: MemoryEntry[],
  now: Date,
): Promise<void> {
  await writer.addDirectory("memory/", now);
  for (const entry of entries) {
    const name = `memory/${entry.relative}`;
    if (entry.isDirectory) {
      await writer.addDirectory(`${name}/`, entry.mtime ?? now);
    } else {await writer.addFile(name, entry.path, {
        mode: 0o600,
        mtime: entry.mtime ?? now,
      });}
  }
}
