/**
 * The memory dir as backup entries: directories and regular files only,
 * never following a symlink, held to the same caps restore enforces so that
 * every archive cara writes can be restored.
 *
 * @module
 */
import { join } from "node:path";
import { CaraError } from "../errors.ts";
import { checkEntryName } from "./entry_name.ts";
import { type ArchiveLimits, DEFAULT_LIMITS } from "./format.ts";

/** One file or directory below the memory dir. */
export interface MemoryEntry {
  /** Absolute path on disk. */
  path: string;
  /** Path below the memory dir, `/`-separated. */
  relative: string;
  isDirectory: boolean;
  size: number;
  mtime: Date | null;
}

/** The walk's result: what goes into the archive and what was left out. */
export interface MemoryFiles {
  entries: MemoryEntry[];
  skipped: string[];
}

/**
 * Lists `memoryDir` depth-first; a missing dir yields no entries, a symlinked
 * dir, special files and unrestorable names are reported in `skipped`.
 *
 * @throws {CaraError} `backup_too_large` when the dir exceeds `limits`
 */
export async function collectMemoryFiles(
  memoryDir: string,
  limits: ArchiveLimits = DEFAULT_LIMITS,
): Promise<MemoryFiles> {
  const result: MemoryFiles = { entries: [], skipped: [] };
  const root = await Deno.lstat(memoryDir).catch(() => null);
  if (root === null) return result;
  if (!root.isDirectory) {
    result.skipped.push(memoryDir);
    return result;
  }
  let total = 0;
  const pending: string[] = [""];
  while (pending.length > 0) {
    const relativeDir = pending.pop() ?? "";
    for await (const item of Deno.readDir(join(memoryDir, relativeDir))) {
      const relative = relativeDir === ""
        ? item.name
        : `${relativeDir}/${item.name}`;
      const path = join(memoryDir, relative);
      if (
        !isRestorableName(`memory/${relative}`) ||
        !(item.isFile || item.isDirectory)
      ) {
        result.skipped.push(path);
        continue;
      }
      const info = await Deno.lstat(path);
      total += info.size;
      if (
        result.entries.length >= limits.maxEntries ||
        info.size > limits.maxEntryBytes || total > limits.maxTotalBytes
      ) {
        throw new CaraError(
          "backup_too_large",
          `Cannot back up the memory dir "${memoryDir}": it exceeds the backup limits (${limits.maxEntries} entries, ${limits.maxEntryBytes} bytes per file, ${limits.maxTotalBytes} bytes in total); remove large files and retry`,
        );
      }
      result.entries.push({
        path,
        relative,
        isDirectory: info.isDirectory,
        size: info.isDirectory ? 0 : info.size,
        mtime: info.mtime,
      });
      if (info.isDirectory) pending.push(relative);
    }
  }
  return result;
}

function isRestorableName(name: string): boolean {
  try {
    checkEntryName(name);
    return true;
  } catch {
    return false;
  }
}
