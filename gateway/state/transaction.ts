/**
 * Synchronous SQLite transactions that nest.
 *
 * The outermost call takes the write lock up front (`BEGIN IMMEDIATE`), so a
 * busy database waits for `busy_timeout` at the start instead of failing with
 * SQLITE_BUSY half-way through. Nested calls become savepoints, which lets a
 * store method that needs atomicity run inside a caller's transaction.
 *
 * Durability is chosen per outermost transaction: it commits with SQLite's
 * fsync (`synchronous = FULL`) unless it runs inside {@linkcode relaxed}. The
 * connection keeps the mode of its last transaction, because switching costs
 * a statement and an agent turn's relaxed commits come in a row; so every
 * write outside a transaction goes through {@linkcode writeStatement}.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";

interface Durability {
  /** Depth of `relaxed` calls running. */
  relaxed: number;
  /** Whether the connection is at `synchronous = NORMAL` (else FULL, as opened). */
  normal: boolean;
}

const durability = new WeakMap<DatabaseSync, Durability>();

function durabilityOf(db: DatabaseSync): Durability {
  let state = durability.get(db);
  if (state === undefined) {
    state = { relaxed: 0, normal: false };
    durability.set(db, state);
  }
  return state;
}

/**
 * Runs `fn` so that the transactions it starts commit without the fsync: they
 * survive a crash or `kill -9` of cara (WAL, `synchronous=NORMAL`) but the
 * last of them may be lost if the machine loses power. The connection must be
 * at `synchronous = FULL` when opened.
 */
export function relaxed<T>(db: DatabaseSync, fn: () => T): T {
  const state = durabilityOf(db);
  state.relaxed++;
  try {
    return fn();
  } finally {
    state.relaxed--;
  }
}

function useDurability(db: DatabaseSync): void {
  const state = durabilityOf(db);
  const normal = state.relaxed > 0;
  if (state.normal === normal) return;
  db.exec(normal ? "PRAGMA synchronous = NORMAL" : "PRAGMA synchronous = FULL");
  state.normal = normal;
}

function isPromiseLike(value: unknown): boolean {
  return typeof value === "object" && value !== null &&
    typeof (value as { then?: unknown }).then === "function";
}

function rollback(db: DatabaseSync, nested: boolean): void {
  // After some errors (e.g. SQLITE_FULL) SQLite has already rolled back.
  if (!db.isTransaction) return;
  db.exec(nested ? "ROLLBACK TO cara_tx; RELEASE cara_tx" : "ROLLBACK");
}

/**
 * Runs `fn` in a transaction: commits when it returns, rolls back and
 * rethrows when it throws.
 *
 * @param db an open database
 * @param fn synchronous work; its result is returned
 * @throws {TypeError} when `fn` returns a promise (the work would escape the
 *   transaction)
 * @example
 * ```ts
 * const id = transaction(db, () => insert.run("x").lastInsertRowid);
 * ```
 */
export function transaction<T>(db: DatabaseSync, fn: () => T): T {
  const nested = db.isTransaction;
  if (!nested) useDurability(db);
  db.exec(nested ? "SAVEPOINT cara_tx" : "BEGIN IMMEDIATE");
  let result: T;
  try {
    result = fn();
    if (isPromiseLike(result)) {
      throw new TypeError(
        "Cannot run an async function in a state transaction: pass a synchronous function",
      );
    }
  } catch (error) {
    rollback(db, nested);
    throw error;
  }
  try {
    db.exec(nested ? "RELEASE cara_tx" : "COMMIT");
  } catch (error) {
    rollback(db, nested);
    throw error;
  }
  return result;
}

/**
 * Runs one write statement: as part of the caller's transaction when there is
 * one (a statement is atomic on its own), otherwise as its own transaction,
 * so it commits with the durability chosen for it.
 *
 * @example
 * ```ts
 * writeStatement(db, () => insert.run(row));
 * ```
 */
export function writeStatement<T>(db: DatabaseSync, fn: () => T): T {
  return db.isTransaction ? fn() : transaction(db, fn);
}
