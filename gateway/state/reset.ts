/**
 * `resetState()`: deletes categories of state (sessions, cron, usage,
 * memory). The database part runs in one transaction; config, devices,
 * audit events and plugins are never touched.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import {
  type Env,
  resolveDatabasePath,
  resolveMemoryDir,
  resolveStateDir,
} from "../config/paths.ts";
import { assertNoDaemonRunning } from "../daemon/find.ts";
import { CaraError } from "../errors.ts";

/** The categories `cara reset` can delete, in report order. */
export const RESET_CATEGORIES = [
  "sessions",
  "cron",
  "usage",
  "memory",
] as const;
/** One category of {@linkcode RESET_CATEGORIES}. */
export type ResetCategory = typeof RESET_CATEGORIES[number];

/** Tables each database category empties, children before parents. */
const TABLES: Record<Exclude<ResetCategory, "memory">, readonly string[]> = {
  sessions: ["messages", "sessions"],
  // Cron tables arrive with the cron feature; absent tables are skipped.
  cron: ["cron_runs", "cron_jobs"],
  usage: ["usage_records"],
};

/** What a category holds (planned) or held (after a reset): row or file counts. */
export interface ResetItem {
  category: ResetCategory;
  /** Count per table (or `files` for memory); empty when there is nothing to delete. */
  counts: Record<string, number>;
}

/** Options of {@linkcode planReset} and {@linkcode resetState}. */
export interface ResetOptions {
  categories: readonly ResetCategory[];
}

/**
 * Counts what a reset of `categories` would delete, changing nothing.
 *
 * @throws {CaraError} `reset_target_unsafe` for a symlinked database or memory dir
 */
export async function planReset(
  env: Env,
  options: ResetOptions,
): Promise<ResetItem[]> {
  const memory = await checkMemoryDir(resolveMemoryDir(env));
  const db = await openIfPresent(resolveDatabasePath(env));
  try {
    return ordered(options.categories).map((category) =>
      category === "memory"
        ? { category, counts: memory === null ? {} : { files: memory } }
        : {
          category,
          counts: db === null ? {} : countTables(db, TABLES[category]),
        }
    );
  } finally {
    db?.close();
  }
}

/**
 * Deletes `categories` and reports what was deleted.
 *
 * @throws {CaraError} `daemon_running`, `reset_target_unsafe`, `reset_failed`
 * @example
 * ```ts
 * await resetState(ctx.env, { categories: ["sessions", "usage"] });
 * ```
 */
export async function resetState(
  env: Env,
  options: ResetOptions,
): Promise<ResetItem[]> {
  await assertNoDaemonRunning(resolveStateDir(env), "reset the state");
  const plan = await planReset(env, options);
  const dbCategories = plan.filter((item) => item.category !== "memory");
  const db = await openIfPresent(resolveDatabasePath(env));
  if (db !== null) {
    try {
      db.exec("BEGIN IMMEDIATE");
      try {
        for (const item of dbCategories) {
          for (const table of Object.keys(item.counts)) {
            db.exec(`DELETE FROM "${table}"`);
          }
        }
        db.exec("COMMIT");
      } catch (error) {
        db.exec("ROLLBACK");
        const detail = error instanceof Error ? error.message : String(error);
        throw new CaraError(
          "reset_failed",
          `Cannot reset the state: the database refused the delete (${detail}); nothing was deleted`,
          { cause: error },
        );
      }
    } finally {
      db.close();
    }
  }
  if (
    plan.some((item) =>
      item.category === "memory" && Object.keys(item.counts).length > 0
    )
  ) {
    await Deno.remove(resolveMemoryDir(env), { recursive: true });
  }
  return plan;
}

function ordered(categories: readonly ResetCategory[]): ResetCategory[] {
  return RESET_CATEGORIES.filter((category) => categories.includes(category));
}

function countTables(
  db: DatabaseSync,
  tables: readonly string[],
): Record<string, number> {
  const counts: Record<string, number> = {};
  const exists = db.prepare(
    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
  );
  for (const table of tables) {
    if (exists.get(table) === undefined) continue;
    const row = db.prepare(`SELECT count(*) AS n FROM "${table}"`).get();
    counts[table] = Number(row?.n ?? 0);
  }
  return counts;
}

async function openIfPresent(path: string): Promise<DatabaseSync | null> {
  const info = await Deno.lstat(path).catch(() => null);
  if (info === null) return null;
  if (!info.isFile) throw unsafe("database", path, info);
  return new DatabaseSync(path, { timeout: 5_000 });
}

/** Number of files below the memory dir, or null when it does not exist. */
async function checkMemoryDir(path: string): Promise<number | null> {
  const info = await Deno.lstat(path).catch(() => null);
  if (info === null) return null;
  if (!info.isDirectory) throw unsafe("memory dir", path, info);
  let files = 0;
  const pending = [path];
  while (pending.length > 0) {
    const dir = pending.pop() ?? path;
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isDirectory) pending.push(join(dir, entry.name));
      else files += 1;
    }
  }
  return files;
}

function unsafe(what: string, path: string, info: Deno.FileInfo): CaraError {
  return new CaraError(
    "reset_target_unsafe",
    `Cannot reset the ${what} "${path}": it is ${
      info.isSymlink ? "a symbolic link" : "not what cara created"
    }; remove it by hand`,
  );
}
