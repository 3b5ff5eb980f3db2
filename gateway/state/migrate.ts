/**
 * Brings a database up to the newest schema this build knows.
 *
 * Each migration runs in its own `BEGIN IMMEDIATE` transaction that first
 * re-checks `schema_migrations`, so two processes opening a fresh database at
 * the same moment apply every step exactly once.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { CaraError } from "../errors.ts";
import { type Migration, MIGRATIONS } from "./migrations.ts";
import { transaction, writeStatement } from "./transaction.ts";

/** Options of {@linkcode migrate}. */
export interface MigrateOptions {
  /** Milliseconds since the epoch, recorded as `applied_at`. */
  clock: () => number;
  /** The database file, named in error messages. */
  path: string;
  /** Defaults to {@linkcode MIGRATIONS}. */
  migrations?: readonly Migration[];
}

const CREATE_LEDGER = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at INTEGER NOT NULL
) STRICT`;

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new TypeError(
        `Cannot use migration "${migration.name}": its version is ${migration.version}, expected ${
          index + 1
        } (versions must count up from 1 without gaps)`,
      );
    }
  });
}

/** The highest applied migration version, 0 for an empty database. */
export function appliedVersion(db: DatabaseSync): number {
  const row = db.prepare(
    "SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations",
  ).get();
  return Number(row?.version ?? 0);
}

/**
 * Applies every migration not yet recorded in `schema_migrations`.
 *
 * @returns the versions applied by this call (empty when up to date)
 * @throws {CaraError} `state_db_too_new` when the file has a newer schema
 * @throws {TypeError} when the migration list is not numbered 1, 2, 3, …
 * @example
 * ```ts
 * migrate(db, { clock: Date.now, path: "/srv/cara/state.db" });
 * ```
 */
export function migrate(db: DatabaseSync, options: MigrateOptions): number[] {
  const migrations = options.migrations ?? MIGRATIONS;
  checkOrder(migrations);
  // Taking the write lock first: a lone CREATE that finds the table missing
  // and then has to write fails at once if another process created it meanwhile.
  writeStatement(db, () => db.exec(CREATE_LEDGER));
  const known = migrations.length;
  const found = appliedVersion(db);
  if (found > known) {
    throw new CaraError(
      "state_db_too_new",
      `Cannot open state database "${options.path}": it has schema version ${found}, this cara knows up to ${known}; a newer cara wrote it, so upgrade cara (or restore a backup made by this version)`,
    );
  }
  const isApplied = db.prepare(
    "SELECT 1 AS applied FROM schema_migrations WHERE version = ?",
  );
  const record = db.prepare(
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
  );
  const applied: number[] = [];
  for (const migration of migrations.slice(found)) {
    transaction(db, () => {
      if (isApplied.get(migration.version) !== undefined) return;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, options.clock());
      applied.push(migration.version);
    });
  }
  return applied;
}
